/** A path parameter of an OpenAPI path: a Hono `:name`, `:name{regex}` or `*`. */
export type PathParam = { name: string; pattern?: string; wildcard?: boolean };
export type PathTemplate = { template: string; params: PathParam[] };

/**
 * The OpenAPI paths a Hono route path stands for: `:name` and `:name{regex}` become `{name}`
 * (the regex is the parameter's pattern), each `*` a `{wildcard}` parameter, and an optional
 * `:name?` two paths, one without the parameter and one with it.
 */
export function pathTemplates(path: string): PathTemplate[] {
  const segments = splitSegments(path);
  const slash = path.length > 1 && path.endsWith("/") ? "/" : "";
  const optional = segments.findIndex((segment) => segment.startsWith(":") && segment.endsWith("?"));
  if (optional === -1) return [template(segments, slash)];
  const required = segments.map((segment, i) => (i === optional ? segment.slice(0, -1) : segment));
  return [
    template(
      required.filter((_, i) => i !== optional),
      "",
    ),
    template(required, slash),
  ];
}

function template(segments: string[], trailingSlash: string): PathTemplate {
  const params: PathParam[] = [];
  const parts = segments.map((segment) => {
    if (segment === "*") {
      const earlier = params.filter((p) => p.wildcard).length;
      const name = earlier === 0 ? "wildcard" : `wildcard${earlier + 1}`;
      params.push({ name, wildcard: true });
      return `{${name}}`;
    }
    const param = /^:([^{]+)(?:\{(.+)\})?$/s.exec(segment);
    if (!param) return segment;
    const [, name, regex] = param as unknown as [string, string, string | undefined];
    params.push(regex === undefined ? { name } : { name, pattern: `^(?:${regex})$` });
    return `{${name}}`;
  });
  return { template: parts.length === 0 ? "/" : `/${parts.join("/")}${trailingSlash}`, params };
}

/** The path's segments; a slash inside a parameter's `{regex}` does not end one. */
function splitSegments(path: string): string[] {
  const segments: string[] = [];
  let current = "";
  let depth = 0;
  for (const char of path.replace(/^\/+/, "")) {
    if (char === "{") depth++;
    if (char === "}") depth--;
    if (char === "/" && depth === 0) {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  return segments.filter((segment) => segment !== "");
}
