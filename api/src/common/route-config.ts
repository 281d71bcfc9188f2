/**
 * The per-route flags set with Nest's @RouteConfig and read back in Fastify hooks, in one place so a
 * flag's name and type are written once: multipartUpload and longBody (files' @MultipartUpload),
 * rawBody (stripe's @KeepRawBody), file (set by @fastify/static on each web app file route).
 */
export interface RouteFlags {
  multipartUpload?: boolean;
  longBody?: boolean;
  rawBody?: boolean;
  file?: unknown;
}

/** The flags of the route a request matched (none for a request no route matched). */
export function routeConfig(routeOptions: { config?: unknown }): RouteFlags {
  return (routeOptions.config as RouteFlags | undefined) ?? {};
}
