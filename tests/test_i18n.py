"""The parents' pages in their own language (portal/i18n.py): the catalogues are complete,
no public template holds a Dutch text outside them, every language renders the form, the
receipt and the follow-up page, a complaint keeps its language (receipt, mail, PDF,
follow-up), the parent hears of news in their language, staff pages stay Dutch."""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pypdf import PdfReader

from portal import i18n
from portal.models import Case
from portal.models import CaseEvent
from portal.models import Outbox

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "portal" / "translations"
FORM = "/klaverweide/klachten/indienen"
FOLLOW = "/klaverweide/klachten/volgen"
REF_RE = re.compile(r'id="referentie">(KL-\d{4}-\d{4})<')
CODE_RE = re.compile(r'id="code">([A-Z2-7 ]+)<')
FOREIGN = [code for code in i18n.LANGUAGES if code != "nl"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "translatable": None, "_l": None}
# The translation of a text, for the assertions below (read from the catalogues themselves).


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


def catalogue(code):
    with open(CATALOGUES / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=code)


def t(code, text):
    """``text`` in language ``code`` as the catalogue has it."""
    return catalogue(code)[text].string if code != "nl" else text


def extracted():
    """Every text marked for translation in the code and templates, as pybabel extracts it
    (the Makefile's translations-extract)."""
    found = set()
    methods = [
        ("portal/**.py", "python"),
        ("plugins/**.py", "python"),
        ("portal/templates/**.html", "jinja2"),
        ("plugins/**/templates/**.html", "jinja2"),
    ]
    for folder in ("portal", "plugins"):
        for _name, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=[(pattern.partition("/")[2], method) for pattern, method in methods],
            keywords={**KEYWORDS, "translatable": None, "_l": None, "lazy_gettext": None},
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_catalogue_translates_every_text():
    texts = extracted()
    assert len(texts) > 100
    for code in FOREIGN:
        cat = catalogue(code)
        problems = []
        for text in texts:
            key = text[0] if isinstance(text, tuple) else text
            message = cat.get(key)
            if message is None:
                problems.append(f"ontbreekt: {key!r}")
                continue
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(forms):
                problems.append(f"niet vertaald: {key!r}")
            wanted = set(re.findall(r"%\(\w+\)[sd]", key if isinstance(text, str) else text[1]))
            for form in forms:
                if set(re.findall(r"%\(\w+\)[sd]", form or "")) - wanted:
                    problems.append(f"andere plaatshouders: {key!r}")
        assert not problems, f"{code}: " + "; ".join(problems[:10])


def public_templates():
    """Every template a parent sees: the core's public ones and each plugin template that
    extends them, and the PDF receipt."""
    found = sorted((ROOT / "portal" / "templates" / "public").glob("*.html"))
    for path in sorted((ROOT / "plugins").glob("*/templates/**/*.html")):
        text = path.read_text()
        if '{% extends "public/' in text or path.name == "ontvangstbewijs.html":
            found.append(path)
    return found


def loose_text(source):
    """The text of a template outside Jinja (comments, tags, expressions) and outside HTML
    tags, plus the values of attributes people read: what a parent would see untranslated."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", " ", source, flags=re.S)
    read = re.findall(r'\b(?:aria-label|title|alt|placeholder|value)="([^"]*)"', source)
    source = re.sub(r"<style.*?</style>", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source)
    return [s for s in [source, *read] if re.search(r"[^\W\d_]{2,}", s)]


def test_public_templates_hold_no_text_outside_the_catalogue():
    templates = public_templates()
    assert len(templates) >= 8
    leaks = {p.relative_to(ROOT).as_posix(): loose_text(p.read_text()) for p in templates}
    leaks = {name: [" ".join(t.split())[:120] for t in texts] for name, texts in leaks.items() if texts}
    assert not leaks, f"text outside the catalogue: {leaks}"


def test_the_check_finds_a_dutch_text():
    assert loose_text("<p>Dank u wel.</p>") and not loose_text('<p>{{ _("Dank u wel.") }}</p>')
    assert loose_text('<button aria-label="Sluiten">x</button>')


def test_state_texts_and_choices_of_the_public_form_are_in_the_catalogue(app):
    from portal.registry import get_registry

    with app.app_context():
        texts = extracted()
        for ct in get_registry().case_types.values():
            if ct.start is None or not ct.start.public or ct.name.startswith("ouderpunt"):
                continue
            for state in ct.states:
                assert state.title in texts and state.public_text in texts, state.name
            assert ct.start.label in texts and ct.start.submit in texts
    from plugins.klachten.choices import CATEGORIES

    assert all(label in texts for _, label in CATEGORIES)


# ------------------------------------------------------------------ pages ----


def submit(client, language, **extra):
    page = client.get(FORM, headers={"Accept-Language": language})
    data = {
        "category": "pesten",
        "what_happened": "Mijn kind wordt gepest.",
        "csrf_token": get_csrf(client, FORM),
        "form_token": re.search(
            r'name="form_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)
        )[1],
        **extra,
    }
    return client.post(FORM, data=data, headers={"Accept-Language": language})


def follow(client, language, ref, code, **extra):
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW), **extra}
    return client.post(FOLLOW, data=data, headers={"Accept-Language": language})


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_each_language_renders_the_form_the_receipt_and_the_follow_up(app, client, language):
    rtl = "rtl" if language in i18n.RTL else "ltr"
    form = client.get(FORM, headers={"Accept-Language": f"{language},nl;q=0.5"})
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and f'<html lang="{language}" dir="{rtl}">' in html
    assert t(language, "Klacht versturen") in html and t(language, "Wat gebeurt er met uw klacht?") in html
    # A link to every language, named in that language, with lang and hreflang.
    for code, name in i18n.LANGUAGES.items():
        assert f'lang="{code}" hreflang="{code}"' in html and f">{name}</a>" in html

    r = submit(client, language)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and f'<html lang="{language}" dir="{rtl}">' in html
    assert t(language, "Uw klacht is ontvangen") in html
    ref, code = REF_RE.search(html)[1], CODE_RE.search(html)[1]
    # The switch on a page with the code posts it (it never goes into a URL).
    assert 'name="taal" value="tr" lang="tr"' in html and code not in "".join(
        re.findall(r'href="([^"]*)"', html)
    )

    html = follow(client, language, ref, code).get_data(as_text=True)
    assert f'<html lang="{language}" dir="{rtl}">' in html
    assert t(language, "Uw klacht %(reference)s") % {"reference": ref} in html
    assert t(language, "Informatie toevoegen") in html and t(language, "Pesten") in html
    with db_ctx(app):
        assert Case.get(Case.reference == ref).language == language


DUTCH_WORDS = re.compile(r"\b(?:uw|het|een|niet|wordt|heeft|kunt|zijn|voor|wat|bij)\b", re.I)


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<[^>]*\blang="nl"[^>]*>[^<]*<', "<", html)  # marked as Dutch on purpose
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_no_dutch_leaks_into_a_page_in_another_language(app, client, language):
    """Texts from Python (a form's messages, the notices) reach the page translated too."""
    pages = [client.get(FORM, headers={"Accept-Language": language})]
    pages.append(submit(client, language, what_happened="", contact_email="geen-adres"))  # 422, messages
    r = submit(client, language)
    ref, code = REF_RE.search(r.get_data(as_text=True))[1], CODE_RE.search(r.get_data(as_text=True))[1]
    pages += [r, follow(client, language, ref, code), follow(client, language, ref, "AAAA")]
    for page in pages:
        text = visible_text(page.get_data(as_text=True)).replace("Veiligheidsportaal", "")
        text = text.replace("De Klaverweide", "").replace("Almeerse Scholen Groep", "")
        words = DUTCH_WORDS.findall(text)
        assert not words, f"Dutch on a {language} page ({page.status_code}): {words} in {text[:400]!r}"


def test_the_choice_is_remembered_and_staff_pages_stay_dutch(app, client):
    html = client.get(f"{FORM}?taal=pl", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="pl"' in html
    # The next page of this visit keeps the chosen language over the browser's.
    assert '<html lang="pl"' in client.get(FOLLOW, headers={"Accept-Language": "en"}).get_data(as_text=True)
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    html = staff.get("/klaverweide/zaken/?taal=en", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl">' in html and "Zaken" in html
    login_page = app.test_client().get("/login", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert "Inloggen" in login_page


def test_an_unknown_language_is_dutch(client):
    html = client.get(f"{FORM}?taal=xx", headers={"Accept-Language": "de, fr;q=0.8"}).get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in html and "Klacht versturen" in html


def test_a_complaint_in_turkish_gets_a_turkish_receipt_mail_and_pdf(app, client):
    r = submit(client, "tr-TR,tr;q=0.9", contact_email="veli@voorbeeld.nl")
    html = r.get_data(as_text=True)
    ref, code = REF_RE.search(html)[1], CODE_RE.search(html)[1]
    assert "Şikâyetiniz alındı" in html and t("tr", "Bewaar deze code goed. U ziet hem alleen nu.") in html
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        mail = Outbox.get((Outbox.to == "veli@voorbeeld.nl") & (Outbox.case == case.id))
        # What is stored stays Dutch: the title and the timeline.
        assert case.language == "tr" and case.title == "Klacht: pesten"
        assert CaseEvent.get(CaseEvent.case == case.id).text == "Klacht ingediend via het klachtformulier."
    assert mail.subject == f"Bildiriminiz alındı ({ref})"
    assert mail.body.startswith("Sayın veli,") and "taal=tr" in mail.body
    assert code.replace(" ", "") not in mail.body.replace(" ", "")

    # The PDF receipt, asked for from a browser that speaks English, is in Turkish.
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW)}
    pdf = client.post("/klaverweide/klachten/ontvangstbewijs", data=data, headers={"Accept-Language": "en"})
    assert pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Şikâyetinizin alındı belgesi" in text and "Gizli kod" in text and ref in text

    # The follow-up page is in Turkish, also from an English browser; the switch changes it.
    assert "Şikâyetiniz" in follow(client, "en", ref, code).get_data(as_text=True)
    switched = follow(client, "en", ref, code, taal="uk").get_data(as_text=True)
    assert '<html lang="uk"' in switched and "Ваша скарга" in switched

    # The contactpersoon sees in which language it came.
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    page = staff.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    assert "Taal van de indiener" in page and "Turks" in page


def test_the_arabic_receipt_is_right_to_left_with_arabic_glyphs(app, client):
    r = submit(client, "ar")
    html = r.get_data(as_text=True)
    ref, code = REF_RE.search(html)[1], CODE_RE.search(html)[1]
    assert '<html lang="ar" dir="rtl">' in html and "تم استلام شكواك" in html
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW)}
    pdf = client.post("/klaverweide/klachten/ontvangstbewijs", data=data)
    reader = PdfReader(io.BytesIO(pdf.data))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
    }
    assert any("DejaVu" in name for name in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    # Joined Arabic letters are drawn with the presentation forms (U+FE70-U+FEFF).
    assert re.search("[\ufe70-\ufeff]", text) and ref in text


def test_the_follow_up_says_letters_stay_dutch_and_offers_them(app, client):
    r = submit(client, "pl", contact_email="rodzic@voorbeeld.nl")
    html = r.get_data(as_text=True)
    ref, code = REF_RE.search(html)[1], CODE_RE.search(html)[1]
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    made = staff.post(
        f"/klaverweide/zaken/{ref}/brief/klachten.ontvangstbevestiging",
        data={"csrf_token": get_csrf(staff, f"/klaverweide/zaken/{ref}")},
    )
    assert made.status_code == 302
    page = follow(client, "pl", ref, code).get_data(as_text=True)
    assert t("pl", "Brieven van de school") in page and "są w języku niderlandzkim" in page
    assert '<span lang="nl">Ontvangstbevestiging</span>' in page
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        news = Outbox.get((Outbox.case == case.id) & Outbox.subject.startswith("Nowe pismo"))
    assert news.subject == f"Nowe pismo w sprawie {ref}" and "taal=pl" in news.body
    assert "Ontvangstbevestiging" not in news.body and code.replace(" ", "") not in news.body


def test_a_message_reposted_by_a_reload_is_posted_once_and_mailed_once(app, client):
    r = submit(client, "tr", contact_email="veli@voorbeeld.nl")
    ref = REF_RE.search(r.get_data(as_text=True))[1]
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    page = staff.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page)[1]
    data = {
        "csrf_token": get_csrf(staff, f"/klaverweide/zaken/{ref}"),
        "text": "Wij bellen u morgen.",
        "to_submitter": "y",
        "form_token": token,
    }
    for _ in range(2):
        assert staff.post(f"/klaverweide/zaken/{ref}/notitie", data=data).status_code == 302
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        assert (
            CaseEvent.select().where((CaseEvent.case == case.id) & (CaseEvent.kind == "message")).count() == 1
        )
        mails = list(Outbox.select().where((Outbox.case == case.id) & (Outbox.to == "veli@voorbeeld.nl")))
    news = [m for m in mails if ref in m.subject and "mesaj" in m.subject]
    assert len(news) == 1 and news[0].subject == f"{ref} hakkında yeni mesaj"
    assert "Wij bellen u morgen" not in news[0].body and "taal=tr" in news[0].body


def test_an_addition_reposted_by_a_reload_is_added_once_and_the_contactpersoon_mailed_once(app, client):
    r = submit(client, "en")
    html = r.get_data(as_text=True)
    ref, code = REF_RE.search(html)[1], CODE_RE.search(html)[1]
    page = follow(client, "en", ref, code).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page)[1]
    data = {"reference": ref, "code": code, "text": "One more thing.", "form_token": token}
    for _ in range(2):
        data["csrf_token"] = get_csrf(client, FOLLOW)
        r = client.post(
            "/klaverweide/klachten/volgen/aanvullen", data=data, headers={"Accept-Language": "en"}
        )
        assert r.status_code == 200 and t(
            "en", "Dank u wel. Uw aanvulling is toegevoegd aan uw melding."
        ) in (r.get_data(as_text=True))
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        added = CaseEvent.select().where((CaseEvent.case == case.id) & (CaseEvent.kind == "submitter"))
        assert added.count() == 1
        staff_mail = Outbox.select().where((Outbox.case == case.id) & Outbox.subject.startswith("Aanvulling"))
        assert staff_mail.count() == 1


def test_the_form_says_what_happens_next(app, client):
    html = client.get(FORM).get_data(as_text=True)
    assert "Wat gebeurt er met uw klacht?" in html
    assert "binnen 5 schooldagen" in html and "College van Bestuur" in html and "vertrouwenspersoon" in html


def test_the_login_page_leads_parents_to_the_form(app, client):
    page = client.get("/klaverweide/", follow_redirects=True).get_data(as_text=True)
    assert "Inloggen" in page and 'href="/klaverweide/klachten/indienen"' in page
    assert 'lang="tr">Türkçe' in page


def test_a_body_too_large_gets_the_413_page_in_the_parents_language(app, client):
    body = (
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n'
        + b"0" * (60 * 1024 * 1024)
        + b"\r\n--x--\r\n"
    )
    r = client.post(
        FORM,
        data=body,
        content_type="multipart/form-data; boundary=x",
        headers={"Accept-Language": "en"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 413 and '<html lang="en"' in html and "Too large" in html
    assert "De Klaverweide" in html
