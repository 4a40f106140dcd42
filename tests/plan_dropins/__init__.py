"""The veiligheidsplan sections of the plugins that others were changing while the plan was
built (klachten, trauma, schorsing, social_media), each module exactly the ``plan.py`` to
drop into its plugin (with ``from plugins.<slug>.x`` written as ``from .x``), and
``plan=plan.sections`` added to its ``api.Plugin(...)``. tests/test_plan.py puts each on its
plugin object and checks the plan with it. Once a plugin has its own ``plan.py``, delete its
module here (the test then uses the plugin's own)."""
