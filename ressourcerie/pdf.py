"""The one place that turns a template into a PDF (WeasyPrint)."""

from urllib.parse import quote

from flask import Response, current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_pdf(template: str, **context) -> bytes:
    """Render `template` (a page extending print/base.html) to PDF bytes.

    Static files (CSS, fonts, images) are read from the app's static folder, never
    from the network.
    """
    html = render_template(template, **context)
    base_url = current_app.static_folder  # url_for('static') paths resolve inside it
    return HTML(string=html, base_url=base_url, url_fetcher=_StaticOnly()).write_pdf()


def pdf_response(template: str, filename: str, *, inline: bool = True, **context) -> Response:
    """A PDF download (or inline view) of `template`; never cached."""
    data = render_pdf(template, **context)
    disposition = "inline" if inline else "attachment"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response


class _StaticOnly(URLFetcher):
    """Serve /static/... from disk; refuse anything else (no network while printing)."""

    def fetch(self, url, headers=None):
        marker = "/static/"
        if marker in url and not url.startswith(("http://", "https://")):
            path = url.split(marker, 1)[1].split("?", 1)[0]
            return super().fetch(f"file://{current_app.static_folder}/{path}", headers)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"refused to fetch {url!r} while printing")
