import { z } from "zod";

export type JsonSchema = { [key: string]: unknown };
/** Requests are documented as what a schema accepts, replies as what it produces. */
export type SchemaIo = "input" | "output";

type ConversionOptions = NonNullable<Parameters<typeof z.toJSONSchema>[1]>;
type UnrepresentableHandler = Extract<ConversionOptions["unrepresentable"], Function>;

const COMPONENTS = "#/components/schemas/";

/**
 * zod schemas as OpenAPI 3.1 schema objects (JSON Schema 2020-12) through zod's own
 * `z.toJSONSchema`. A schema named with `.meta({ id })` becomes one component that every use
 * refers to; when what it accepts differs from what it produces, requests refer to `<id>Input`.
 * What JSON Schema cannot say (a transform's result, a custom check) is documented as any value.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private unnamed = 0;
  private ioSensitive = new WeakMap<z.core.$ZodType, boolean>();

  convert(schema: z.ZodType, io: SchemaIo): JsonSchema {
    const named = new Map<string, z.core.$ZodType>();
    const {
      $schema: _dialect,
      $defs,
      ...root
    } = z.toJSONSchema(schema, {
      io,
      unrepresentable: asJsonValue,
      cycles: "ref",
      reused: "inline",
      override: ({ zodSchema }) => {
        const id = z.globalRegistry.get(zodSchema)?.id;
        if (id) named.set(id, zodSchema);
      },
    }) as JsonSchema;
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;
    const refs = new Map<string, string>();
    for (const id of Object.keys(defs)) refs.set(`#/$defs/${id}`, COMPONENTS + this.nameFor(id, io, named.get(id)));
    // a recursive schema without an id refers to itself as "#": it becomes a component too
    const selfRef = containsRef(root, "#") ? COMPONENTS + `Schema${++this.unnamed}` : undefined;
    if (selfRef) refs.set("#", selfRef);
    for (const [id, def] of Object.entries(defs)) this.schemas[componentName(refs.get(`#/$defs/${id}`)!)] ??= rewriteRefs(def, refs) as JsonSchema;
    const converted = rewriteRefs(root, refs) as JsonSchema;
    if (!selfRef) return converted;
    this.schemas[componentName(selfRef)] = converted;
    return { $ref: selfRef };
  }

  /** The schema a `$ref` to a component stands for; any other schema as it is. */
  resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    return typeof ref === "string" && ref.startsWith(COMPONENTS) ? (this.schemas[componentName(ref)] ?? schema) : schema;
  }

  private nameFor(id: string, io: SchemaIo, schema: z.core.$ZodType | undefined): string {
    // zod names its own definitions of anonymous recursive schemas `__schema<n>`
    if (!schema) return `Schema${++this.unnamed}`;
    return io === "input" && this.differsByIo(schema) ? `${id}Input` : id;
  }

  private differsByIo(schema: z.core.$ZodType): boolean {
    let differs = this.ioSensitive.get(schema);
    if (differs === undefined) {
      const as = (io: SchemaIo) => JSON.stringify(z.toJSONSchema(schema, { io, unrepresentable: asJsonValue, cycles: "ref", reused: "inline" }));
      differs = as("input") !== as("output");
      this.ioSensitive.set(schema, differs);
    }
    return differs;
  }
}

/** Money and counters are bigints inside and decimal strings on the wire; dates are ISO strings. */
const asJsonValue: UnrepresentableHandler = ({ zodSchema }) => {
  const type = (zodSchema as { _zod: { def: { type: string } } })._zod.def.type;
  if (type === "bigint") return { type: "string", pattern: "^-?[0-9]+$" };
  if (type === "date") return { type: "string", format: "date-time" };
  return "any";
};

function componentName(ref: string): string {
  return ref.slice(COMPONENTS.length);
}

function rewriteRefs(value: unknown, refs: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, refs));
  if (value === null || typeof value !== "object") return value;
  const out: JsonSchema = {};
  for (const [key, item] of Object.entries(value)) out[key] = key === "$ref" && typeof item === "string" ? (refs.get(item) ?? item) : rewriteRefs(item, refs);
  return out;
}

function containsRef(value: unknown, ref: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsRef(item, ref));
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([key, item]) => (key === "$ref" ? item === ref : containsRef(item, ref)));
}
