"""Signs a new person up through Bookwork's own sign-up form and makes them a
personal access token (read and write) through the profile page's endpoint,
as a person would on /me; prints the token. Standard library only.

Usage: member_token.py BASE_URL
"""
import http.cookiejar
import json
import sys
import time
import urllib.parse
import urllib.request
import uuid

base = sys.argv[1].rstrip("/")
opener = urllib.request.build_opener(
    urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
)


def post(path, fields):
    request = urllib.request.Request(
        base + path,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Accept": "application/json"},
    )
    with opener.open(request) as response:
        return response.read().decode()


# Wait (up to a minute) for the server to be ready.
for _ in range(120):
    try:
        with urllib.request.urlopen(base + "/readyz") as ready:
            if ready.status == 200:
                break
    except OSError:
        pass
    time.sleep(0.5)
else:
    sys.exit(f"{base} did not become ready")

post(
    "/api/auth/register",
    {
        "name": "Conformance Reader",
        "email": f"conformance-{uuid.uuid4().hex[:12]}@example.org",
        "password": "a long walk to the library",
    },
)
token = json.loads(
    post(
        "/api/me/tokens/create",
        [("token_name", "conformance run"), ("scopes[]", "read"), ("scopes[]", "write"), ("days", "30")],
    )
)
print(token)
