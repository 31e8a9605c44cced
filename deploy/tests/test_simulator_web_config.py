"""cckm-simulator serves TLS through WebToolkit as the exporter does: `--web.config.file` takes
the same `tls_server_config`, so client_auth_type and client_ca_file ask clients for a
certificate (403 without a verified one); `--tls-cert-file/--tls-key-file` are short for a file
of the two; a bad file or flag exits non-zero with one line naming the field."""
import re
import ssl
import subprocess
import urllib.error
import urllib.request

import pytest

from ops_contract import simulator_binary


def simulator():
    binary = simulator_binary()
    if binary is None:
        pytest.skip("simulator not built (set CCKM_SIMULATOR_BIN)")
    return binary


def openssl(*arguments, cwd):
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, from that CA."""
    folder = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=test-ca", "-days", "2", cwd=folder)
    for name, extension in [("server", "subjectAltName=IP:127.0.0.1"), ("client", "extendedKeyUsage=clientAuth")]:
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=folder)
        (folder / f"{name}.ext").write_text(extension + "\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=folder)
    return folder


def serve(*flags):
    process = subprocess.Popen([str(simulator()), "--listen-address", "127.0.0.1:0", "--listings", "aws",
                                "--history", "1", *flags],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    match = re.search(r"listening on (\S+)", line)
    if match is None:
        process.kill()
        raise AssertionError(line + process.stdout.read())
    return process, match.group(1)


def status(url, pki, client=None):
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    if client:
        context.load_cert_chain(str(pki / f"{client}.pem"), str(pki / f"{client}.key"))
    try:
        with urllib.request.urlopen(url + "/sim", timeout=10, context=context) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_web_config_file_asks_for_a_verified_client_certificate(pki):
    config = pki / "web.yml"
    config.write_text("tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
                      "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n")
    process, url = serve("--web.config.file", str(config))
    try:
        assert url.startswith("https://")
        assert status(url, pki) == 403
        assert status(url, pki, client="client") == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_tls_file_flags_are_short_for_a_web_config(pki):
    process, url = serve("--tls-cert-file", str(pki / "server.pem"), "--tls-key-file", str(pki / "server.key"))
    try:
        assert url.startswith("https://")
        assert status(url, pki) == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("content, flags, field", [
    ("tls_server_config: {cert_file: server.pem, key_file: server.key, client_auth_type: Always}",
     ["--web.config.file", "bad.yml"], "tls_server_config.client_auth_type"),
    ("tls_server_config: {cert_file: server.pem, key_file: client.key}", ["--web.config.file", "bad.yml"],
     "tls_server_config.key_file"),
    ("basic_auth_users: {a: \"$2y$04$0Iu8C0FD4/YY5elC/QJDoO9xZBiHJqPL7tQqQExglLFViDbLWKpTy\"}",
     ["--web.config.file", "bad.yml"], "web.basic_auth_users"),
    ("", ["--web.config.file", "missing.yml"], "--web.config.file missing.yml"),
    ("", ["--tls-cert-file", "server.pem"], "--tls-key-file"),
    ("", ["--web.config.file", "bad.yml", "--tls-cert-file", "server.pem", "--tls-key-file", "server.key"],
     "--web.config.file"),
])
def test_a_bad_web_config_names_the_field(pki, content, flags, field):
    (pki / "bad.yml").write_text(content + "\n")
    out = subprocess.run([str(simulator()), "--listen-address", "127.0.0.1:0", *flags],
                         capture_output=True, text=True, timeout=30, cwd=pki)
    assert out.returncode != 0
    assert field in out.stderr.splitlines()[0], out.stderr
