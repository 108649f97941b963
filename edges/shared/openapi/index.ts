export { type OpenApiDocument, type OpenApiInfo, openApiDocument } from "./openapi-document.ts";
export { serveOpenApiDocument } from "./openapi-endpoint.ts";
export {
  type BodyDoc,
  describe,
  describeWith,
  descriptionOf,
  type ResponseDoc,
  type RouteDescription,
  type SharedDescription,
} from "./route-description.ts";
export { type DocumentedRoute, routesOf } from "./route-walk.ts";
