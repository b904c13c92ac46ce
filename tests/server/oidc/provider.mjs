// A real OpenID Connect provider for the sign-in test: panva/oidc-provider with its
// development login page (any user name, any password), one confidential client for the
// Streamlit UI, and e-mail/name claims derived from the login. Listens on 127.0.0.1 only.
//   OIDC_PORT=… OIDC_CLIENT_SECRET=… OIDC_REDIRECT_URI=http://127.0.0.1:…/oauth2callback node provider.mjs
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'troly-ui',
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    post_logout_redirect_uris: [process.env.OIDC_REDIRECT_URI.replace(/oauth2callback$/, '')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // the ID token carries the e-mail (Streamlit reads it from there)
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.test`, email_verified: true, name: id };
      },
    };
  },
  cookies: { keys: ['troly-test-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
