// The discovery documents: RFC 9728 protected-resource metadata and RFC 8414 authorization-server
// metadata (also served as <issuer>/.well-known/openid-configuration, the one variant a client
// tries that stays under a proxy's path prefix). Paths are where they arrive at this server,
// i.e. after a proxy stripped its prefix (Nginx Proxy Manager /mcp/ -> /).
export const SCOPE = 'mcp';

export interface OAuthUrls {
  issuer: string;
  /** The MCP endpoint: the resource tokens are bound to. */
  resource: string;
  /** Resources a token may name as audience (the MCP endpoint and the base URL itself). */
  audiences: string[];
  /** What WWW-Authenticate names. */
  resourceMetadataUrl: string;
  /** Server paths answering protected-resource metadata. */
  resourceMetadataPaths: string[];
  /** Server paths answering authorization-server metadata (RFC 8414 and OpenID discovery). */
  serverMetadataPaths: string[];
}

export function oauthUrls(baseUrl: string, mcpPath: string): OAuthUrls {
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  const prm = '/.well-known/oauth-protected-resource';
  const asm = '/.well-known/oauth-authorization-server';
  const oidc = '/.well-known/openid-configuration';
  const uniq = (xs: string[]) => [...new Set(xs)];
  return {
    issuer: baseUrl,
    resource: `${baseUrl}${mcpPath}`,
    audiences: [`${baseUrl}${mcpPath}`, baseUrl, `${baseUrl}/`],
    resourceMetadataUrl: `${baseUrl}${prm}${mcpPath}`,
    // Behind a proxy that strips its prefix, and (basePath forms) one that forwards the root paths as they are.
    resourceMetadataPaths: uniq([prm, `${prm}${mcpPath}`, `${prm}${basePath}${mcpPath}`, `${prm}${basePath}`]),
    serverMetadataPaths: uniq([asm, `${asm}${basePath}`, oidc, `${oidc}${basePath}`]),
  };
}

export function resourceMetadata(urls: OAuthUrls): Record<string, unknown> {
  return {
    resource: urls.resource,
    authorization_servers: [urls.issuer],
    scopes_supported: [SCOPE],
    bearer_methods_supported: ['header'],
    resource_name: 'Home Assistant (MCP)',
  };
}

const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic'];

export function serverMetadata(urls: OAuthUrls, openid: boolean): Record<string, unknown> {
  const i = urls.issuer;
  return {
    issuer: i,
    authorization_endpoint: `${i}/oauth/authorize`,
    token_endpoint: `${i}/oauth/token`,
    registration_endpoint: `${i}/oauth/register`,
    revocation_endpoint: `${i}/oauth/revoke`,
    scopes_supported: [SCOPE],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: 'https://github.com/mcp-ha/mcp-ha/blob/main/mcp_ha/DOCS.md',
    // OpenID discovery requires these three; no openid scope is offered, so no ID token is ever made.
    ...(openid ? { jwks_uri: `${i}/oauth/jwks`, subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] } : {}),
  };
}
