"""The yearly safety report and the generated veiligheidsplan (veiligheidsplan 3.3.4, 3.3.5,
3.2, 2.2.4 and the plan as a whole).

- ``yearly``: every plugin's figures (the ``annual_report`` hook) beside last year's;
  ``charts`` their SVG geometry (and the drawings kept); ``board`` the bestuur's version across schools.
- ``views``: the report's pages, monitor results, actions, the MR's discussion, PDF
  versions (``pdf``) and exports (``exports``, ``tables``).
- ``plan``: the veiligheidsplan from the ``plan_section`` hook, the school's own texts,
  versions and what changed since the last adopted one (``plan_views``, ``plan_core``).
"""


def init_app(app):
    from . import charts
    from . import plan_views
    from . import views

    # A chart drawn as SVG markup, once per chart (charts.drawn).
    app.jinja_env.globals["chart_svg"] = charts.drawn
    app.register_blueprint(views.bp)
    app.register_blueprint(plan_views.bp)
