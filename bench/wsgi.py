"""WSGI entry points of the benchmark: the application and the bare app, each wrapped so
every response carries `X-Query-Count` (SQL statements the request ran, teardown included).

Bench-only: the product code knows nothing of this header.
    gunicorn 'bench.wsgi:application()'   gunicorn 'bench.wsgi:bare_application()'
"""

import contextvars

from sqlalchemy import event

_count: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "bench_query_count", default=None
)


def _on_execute(conn, cursor, statement, parameters, context, executemany):
    counter = _count.get()
    if counter is not None:
        counter[0] += 1


class QueryCountMiddleware:
    """Delays start_response until the app has returned, so teardown queries are counted."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        counter = [0]
        token = _count.set(counter)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["args"] = (status, headers, exc_info)
            return lambda data: None  # the app writes no body through write()

        try:
            body = self.wsgi_app(environ, capture)
            try:
                chunks = list(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            _count.reset(token)
        status, headers, exc_info = captured["args"]
        headers = [*headers, ("X-Query-Count", str(counter[0]))]
        start_response(status, headers, exc_info)
        return chunks


def _instrument(app, engine):
    event.listen(engine, "before_cursor_execute", _on_execute)
    app.wsgi_app = QueryCountMiddleware(app.wsgi_app)
    return app


def application():
    from ressourcerie import create_app
    from ressourcerie.extensions import db

    app = create_app()
    with app.app_context():
        engine = db.engine
    return _instrument(app, engine)


def bare_application():
    from bench.bare import create_bare_app, db

    app = create_bare_app()
    with app.app_context():
        engine = db.engine
    return _instrument(app, engine)
