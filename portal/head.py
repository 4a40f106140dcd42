"""HEAD answered as GET is: the same status, redirect and headers, without the body.

Flask routes HEAD to the GET view, but a view that asks ``request.method == "GET"`` (show
the form) takes a HEAD for a POST, and access control sent a HEAD without a session a 401
where a GET gets the login page. So the request is made a GET before anything sees it, and
the body is dropped on the way out (RFC 9110 9.3.2).
"""


class HeadAsGet:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.wsgi_app(environ, start_response)
        environ["REQUEST_METHOD"] = "GET"
        body = self.wsgi_app(environ, start_response)
        try:
            for _chunk in body:  # made, as for a GET (a download's audit row too), not sent
                pass
        finally:
            if hasattr(body, "close"):
                body.close()
        return []


def init_app(app):
    app.wsgi_app = HeadAsGet(app.wsgi_app)
