"""The web layer: litestar app factory, tenant middleware, pages (jinja2) and the JSON API."""
