from .conftest import login


def test_login_and_dashboard(client):
    r = login(client, "directie")
    assert r.status_code == 302
    r = client.get("/", follow_redirects=True)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Dashboard" in html and "Ruben Hoekstra" in html


def test_case_list(client):
    login(client, "directie")
    r = client.get("/klaverweide/zaken/")
    assert r.status_code == 200, r.get_data(as_text=True)
