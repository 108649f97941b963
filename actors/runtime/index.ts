export type { ActorContext, ActorKind, Behavior, BodyOf, Incoming, Protocol, ReplyOf, TimerSpec } from "./actor.ts";
export { schemasOf } from "./actor.ts";
export { brandIdSchema, formatAddress, isBrandId, parseAddress } from "./address.ts";
export type { DeadLetter, Delivery, Envelope, ReplyEnvelope } from "./envelope.ts";
export { type ErrorBody, fail, type Outcome, ok, PlatformError } from "./errors.ts";
export {
  applyInActor,
  DEFAULT_EVENT_LIMITS,
  type DomainEvent,
  type EventBus,
  type EventBusLimits,
  type EventDeadLetter,
  type EventDelivery,
  type EventHandler,
  forwardToActor,
  matchesTypes,
  type SubscribeOptions,
  type Subscription,
  streamOf,
} from "./event-bus.ts";
export { createLogger, type Logger, type LogLevel } from "./log.ts";
export { MemoryEventBus } from "./memory-event-bus.ts";
export { MemoryTransport } from "./memory-transport.ts";
export { RuntimeMetrics } from "./metrics.ts";
export { insertOutboxEvents, type OutboxEventInput, outboxInsertSql, POSTGRES_OUTBOX, PostgresOutbox } from "./outbox-postgres.ts";
export { OutboxRelay, type OutboxRelayOptions, type OutboxSource } from "./outbox-relay.ts";
export { ShardOutbox, shardOutboxName } from "./outbox-shard.ts";
export { RedisEventBus, type RedisEventBusOptions } from "./redis-event-bus.ts";
export { RedisTransport, type RedisTransportOptions } from "./redis-transport.ts";
export { type ActorStatus, ActorSystem, type SystemOptions } from "./system.ts";
export type { Consumer, DeliveryHandler, MailboxStats, MailboxTransport, TransportLimits } from "./transport.ts";
