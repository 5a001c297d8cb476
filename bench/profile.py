"""Profile one page in-process with pyinstrument, signed in as EMAIL if given (two factors
handled), on the database of DATABASE_URL: `python -m bench.profile URL [EMAIL] [RUNS]`."""

import sys
import time

import pyotp
from pyinstrument import Profiler

from bench.servers import csrf_token
from bench.wsgi import application
from ressourcerie.security.services import find_user_by_email


def sign_in(app, client, email: str) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": "ressourcerie-demo"},
    )
    if response.headers.get("Location", "").endswith("/login/code"):
        with app.app_context():
            secret = find_user_by_email(email).totp_secret
        page = client.get("/login/code")
        totp = pyotp.TOTP(secret)
        code = totp.generate_otp(totp.timecode(time.time()) + 1)  # never a step used before
        client.post("/login/code", data={"csrf_token": csrf_token(page.text), "code": code})


def main() -> None:
    url = sys.argv[1]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    app = application()
    client = app.test_client()
    if len(sys.argv) > 2 and sys.argv[2]:
        sign_in(app, client, sys.argv[2])
    for _ in range(3):
        response = client.get(url)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(runs):
        response = client.get(url)
    profiler.stop()
    elapsed = (time.perf_counter() - started) / runs * 1000
    print(f"{url}: status {response.status_code}, {response.headers.get('X-Query-Count')} SQL, "
          f"{len(response.data)} bytes, {elapsed:.1f} ms per request")  # fmt: skip
    print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
