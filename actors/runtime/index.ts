export { ActorSystem, type ActorStatus, type SystemOptions } from "./system.ts";
export type { ActorContext, ActorKind, Behavior, Incoming, Protocol, BodyOf, ReplyOf, TimerSpec } from "./actor.ts";
export { schemasOf } from "./actor.ts";
export { PlatformError, ok, fail, type Outcome, type ErrorBody } from "./errors.ts";
export { formatAddress, parseAddress, brandIdSchema, isBrandId } from "./address.ts";
export type { Envelope, Delivery, DeadLetter, ReplyEnvelope } from "./envelope.ts";
export type { MailboxTransport, Consumer, MailboxStats, TransportLimits, DeliveryHandler } from "./transport.ts";
export { MemoryTransport } from "./memory-transport.ts";
export { RedisTransport, type RedisTransportOptions } from "./redis-transport.ts";
export { RuntimeMetrics } from "./metrics.ts";
export { createLogger, type Logger, type LogLevel } from "./log.ts";
export {
  forwardToActor,
  applyInActor,
  streamOf,
  matchesTypes,
  DEFAULT_EVENT_LIMITS,
  type DomainEvent,
  type EventBus,
  type EventBusLimits,
  type EventDeadLetter,
  type EventDelivery,
  type EventHandler,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus.ts";
export { MemoryEventBus } from "./memory-event-bus.ts";
export { RedisEventBus, type RedisEventBusOptions } from "./redis-event-bus.ts";
export { OutboxRelay, type OutboxRelayOptions, type OutboxSource } from "./outbox-relay.ts";
export { ShardOutbox, shardOutboxName } from "./outbox-shard.ts";
export { PostgresOutbox, POSTGRES_OUTBOX, outboxInsertSql, insertOutboxEvents, type OutboxEventInput } from "./outbox-postgres.ts";
