# Verify an sms-auth access token in Python with PyJWT (pip install "pyjwt[crypto]", or Debian's
# python3-jwt). Usage: SMS_AUTH_JWKS_URL=... SMS_AUTH_ISSUER=... python3 verify.py <token>
import os
import sys

import jwt

# One client per process: it caches the keys and fetches them again on an unknown kid.
jwks = jwt.PyJWKClient(os.environ["SMS_AUTH_JWKS_URL"])


def verify(token):
    key = jwks.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=["ES256"],
        issuer=os.environ["SMS_AUTH_ISSUER"],
        audience="sms-auth",
        leeway=5,
    )


try:
    claims = verify(sys.argv[1])
except jwt.PyJWTError as err:
    print("refused:", err, file=sys.stderr)
    sys.exit(1)
print(claims["sub"])
