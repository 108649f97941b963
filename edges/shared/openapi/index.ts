export {
  describe,
  describeWith,
  descriptionOf,
  type BodyDoc,
  type ResponseDoc,
  type RouteDescription,
  type SharedDescription,
} from "./route-description.ts";
export { openApiDocument, type OpenApiDocument, type OpenApiInfo } from "./openapi-document.ts";
export { serveOpenApiDocument } from "./openapi-endpoint.ts";
export { routesOf, type DocumentedRoute } from "./route-walk.ts";
