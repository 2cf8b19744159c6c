"""The examples in deploy/ work as an operator would use them: the environment template names
every variable the settings read and passes Django's deployment check, nginx accepts the site
and serves static files with its security headers, systemd accepts the units, and a backup
restores into a fresh database with its record and media."""

import getpass
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.core.management import get_commands
from django.db import connection

from tests.enquiries.conftest import free_port
from tests.factories.home import make_site
from tests.factories.library import CatalogueRecordFactory, LibraryIndexPageFactory

PROJECT_DIR = Path(settings.BASE_DIR)
DEPLOY = PROJECT_DIR / "deploy"
ENV_TEMPLATE = DEPLOY / "shelfmark.env.example"
# Code that runs in production: the apps and config, without the dev, test and bench settings.
RUNTIME_PACKAGES = [
    "config",
    "home",
    "library",
    "readinglists",
    "enquiries",
    "learning",
    "currentawareness",
]
NOT_DEPLOYED = {"dev.py", "test.py", "bench.py"}
INSTALL_DIR = "/srv/shelfmark"


def variables_read_by_runtime_code() -> set[str]:
    """Every environment variable the production settings and the apps read."""
    names = set()
    for package in RUNTIME_PACKAGES:
        for module in (PROJECT_DIR / package).rglob("*.py"):
            if module.name in NOT_DEPLOYED and module.parent.name == "settings":
                continue
            names |= set(
                re.findall(
                    r"(?:os\.environ\.get|os\.environ\.setdefault|os\.getenv|os\.environ\[|"
                    r"env_list|env_bool)\(?\s*[\"']([A-Z][A-Z0-9_]*)[\"']",
                    module.read_text(),
                )
            )
    return names


def template_lines() -> dict[str, tuple[str, bool]]:
    """NAME → (value, set): every variable the template names, set or commented out."""
    found = {}
    for line in ENV_TEMPLATE.read_text().splitlines():
        match = re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(2)] = (match.group(3), not match.group(1))
    return found


def test_env_template_names_every_variable_production_reads_and_no_other():
    read = variables_read_by_runtime_code()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"} <= read
    named = set(template_lines())
    assert read - named == set(), "variables read in production but missing from the template"
    assert named - read == set(), "template variables nothing reads"


def test_env_template_with_its_placeholders_filled_passes_the_deployment_check(tmp_path):
    env = {name: value for name, (value, is_set) in template_lines().items() if is_set}
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(SHELFMARK_VAR_DIR=str(tmp_path), PATH="/usr/bin:/bin")
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout

    # Without Redis every worker would keep its own cache: the check says so.
    del env["REDIS_URL"]
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode != 0
    assert "shelfmark.W001" in checked.stderr + checked.stdout
    assert "Set REDIS_URL" in checked.stderr + checked.stdout


def test_production_settings_refuse_the_template_placeholder_secret(tmp_path):
    env = {name: value for name, (value, is_set) in template_lines().items() if is_set}
    env.update(SHELFMARK_VAR_DIR=str(tmp_path), PATH="/usr/bin:/bin")
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode != 0
    assert "SECRET_KEY is too short" in checked.stderr


# --- nginx ------------------------------------------------------------------------------------


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            shutil.which("openssl") or "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=library.example.org",
            "-addext",
            "subjectAltName=DNS:library.example.org,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def nginx_site(tmp_path):
    """The example site rendered for this machine: free ports, a self-signed certificate,
    files under tmp_path: (nginx, main config, https port, http port, install folder,
    certificate)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    cert, key = self_signed_certificate(tmp_path)
    https_port, http_port = free_port(), free_port()
    install = tmp_path / "srv"
    site = (DEPLOY / "nginx" / "shelfmark.conf").read_text()
    site = (
        site.replace("/etc/letsencrypt/live/library.example.org/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/library.example.org/privkey.pem", str(key))
        .replace(INSTALL_DIR, str(install))
        .replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    )
    site = re.sub(r"\s*listen \[::\]:\d+[^;]*;", "", site)
    (tmp_path / "shelfmark.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    # Run as root (CI), nginx's workers would be "nobody", who cannot read tmp_path.
    worker_user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"{worker_user}pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    access_log {tmp_path}/access.log;\n"
        f"    client_body_temp_path {tmp_path}/body;\n"
        f"    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/shelfmark.conf;\n"
        "}\n"
    )
    return nginx, main, https_port, http_port, install, str(cert)


def test_nginx_accepts_the_site(nginx_site, tmp_path):
    nginx, main, *_ = nginx_site
    tested = subprocess.run(  # noqa: S603 - fixed arguments
        [nginx, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stderr
    assert "syntax is ok" in tested.stderr


def test_nginx_serves_static_files_and_images_with_security_headers_but_never_documents(
    nginx_site, tmp_path
):
    nginx, main, https_port, http_port, install, cert = nginx_site
    (install / "var" / "static" / "css").mkdir(parents=True)
    (install / "var" / "static" / "css" / "site.abc123.css").write_text("body { margin: 0 }")
    for folder in ("images", "documents"):
        (install / "var" / "media" / folder).mkdir(parents=True)
    (install / "var" / "media" / "images" / "cover.png").write_bytes(b"\x89PNG\r\n")
    (install / "var" / "media" / "documents" / "restricted.pdf").write_bytes(b"%PDF-1.4")
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [nginx, "-c", str(main), "-p", str(tmp_path), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    base = f"https://127.0.0.1:{https_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/static/", verify=cert, timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        style = requests.get(base + "/static/css/site.abc123.css", verify=cert, timeout=5)
        assert style.status_code == 200
        assert style.text == "body { margin: 0 }"
        assert "max-age=31536000" in style.headers["Strict-Transport-Security"]
        assert style.headers["X-Content-Type-Options"] == "nosniff"
        assert "immutable" in style.headers["Cache-Control"]
        assert "nginx/" not in style.headers.get("Server", "")

        image = requests.get(base + "/media/images/cover.png", verify=cert, timeout=5)
        assert image.status_code == 200
        assert image.headers["X-Content-Type-Options"] == "nosniff"
        document = requests.get(
            base + "/media/documents/restricted.pdf",
            verify=cert,
            timeout=5,
        )
        assert document.status_code == 404

        plain = requests.get(
            f"http://127.0.0.1:{http_port}/search/?q=neglect", allow_redirects=False, timeout=5
        )
        assert plain.status_code == 301
        assert plain.headers["Location"] == "https://127.0.0.1/search/?q=neglect"
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- systemd ----------------------------------------------------------------------------------

UNITS = sorted((DEPLOY / "systemd").iterdir())


def rendered_unit(unit: Path, folder: Path, env_file: Path) -> Path:
    """The unit with this checkout and this interpreter in place of /srv/shelfmark."""
    text = (
        unit.read_text()
        .replace(f"{INSTALL_DIR}/.venv/bin/", f"{Path(sys.executable).parent}/")
        .replace(INSTALL_DIR, str(PROJECT_DIR))
        .replace("/etc/shelfmark/shelfmark.env", str(env_file))
    )
    target = folder / unit.name.replace("@.", "@1.")
    target.write_text(text)
    return target


def test_systemd_units_and_the_guide_name_commands_that_exist():
    commands = get_commands()
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if not line.startswith("ExecStart="):
                continue
            program, *arguments = line.split("=", 1)[1].split()
            if program.endswith("/python"):
                assert arguments[0] == "manage.py", line
                assert arguments[1] == "%i" or arguments[1] in commands, line
            else:
                assert (PROJECT_DIR / program.removeprefix(INSTALL_DIR + "/")).is_file(), line
    # The commands the guide enables a daily timer for, and the every-minute one.
    guide = (PROJECT_DIR / "docs" / "deployment.md").read_text()
    daily = re.search(r"for command in ([^;]+);", guide).group(1).replace("\\", " ").split()
    assert daily
    for name in [*daily, "recover_stalled_tasks"]:
        assert name in commands, name


def systemd_problems(analyze: str, units: list[Path]) -> list[str]:
    verified = subprocess.run(  # noqa: S603 - fixed arguments
        [analyze, "verify", *map(str, units)], capture_output=True, text=True, timeout=120
    )
    return [
        line
        for line in (verified.stdout + verified.stderr).splitlines()
        # Outside a booted systemd (containers, CI) it may not reach the manager or look up
        # the service user; neither is about the units.
        if line.strip() and not re.search(r"Failed to (connect to|look up)|D-Bus|system bus", line)
    ]


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    env_file = tmp_path / "shelfmark.env"
    env_file.write_text(ENV_TEMPLATE.read_text())
    rendered = [rendered_unit(unit, tmp_path, env_file) for unit in UNITS]
    assert systemd_problems(analyze, rendered) == []

    # The check reads what it is given: a unit with a wrong setting is reported.
    web = tmp_path / "shelfmark-web.service"
    broken = tmp_path / "broken.service"
    broken.write_text(web.read_text().replace("Type=notify", "Type=notifyy"))
    assert any("notifyy" in line for line in systemd_problems(analyze, [broken]))


# --- Backup and restore -----------------------------------------------------------------------


def url_of(database_name: str) -> str:
    conf = connection.settings_dict
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    return (
        f"postgresql://{conf['USER']}{password}@{conf['HOST'] or '127.0.0.1'}:"
        f"{conf['PORT'] or 5432}/{database_name}"
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="backups are of PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_its_records_and_media(tmp_path):
    record = CatalogueRecordFactory(
        parent=LibraryIndexPageFactory(parent=make_site()), title="Neglect in the early years"
    )
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "review.pdf").write_bytes(b"%PDF-1.4 the review")
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": url_of(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(media),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    made = subprocess.run(  # noqa: S603 - fixed arguments
        [str(DEPLOY / "backup" / "backup.sh")], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    assert sorted(path.name for path in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]

    fresh = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored_media = tmp_path / "restored-media"
        restored = subprocess.run(  # noqa: S603 - fixed arguments
            [str(DEPLOY / "backup" / "restore.sh"), str(backup)],
            env={**env, "DATABASE_URL": url_of(fresh), "MEDIA_ROOT": str(restored_media)},
            capture_output=True,
            text=True,
        )
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(url_of(fresh)) as copy:
            row = copy.execute(
                "SELECT page.title, page.live FROM wagtailcore_page page "
                "JOIN library_cataloguerecord record ON record.page_ptr_id = page.id "
                "WHERE page.id = %s",
                [record.pk],
            ).fetchone()
        assert row == ("Neglect in the early years", True)
        assert (restored_media / "documents" / "review.pdf").read_bytes() == b"%PDF-1.4 the review"

        # A damaged backup is refused before anything is touched.
        with (backup / "media.tar.gz").open("ab") as damaged:
            damaged.write(b"x")
        refused = subprocess.run(  # noqa: S603 - fixed arguments
            [str(DEPLOY / "backup" / "restore.sh"), str(backup)],
            env={**env, "DATABASE_URL": url_of(fresh), "MEDIA_ROOT": str(restored_media)},
            capture_output=True,
            text=True,
        )
        assert refused.returncode == 1
        assert "does not match its checksums" in refused.stderr
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
