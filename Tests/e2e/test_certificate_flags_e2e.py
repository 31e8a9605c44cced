"""The exporter binary's certificate flags: `--config.check` with a client certificate and key
made by openssl (the default grant client_credential, the serial, the expiry warning), and the
one line naming the flag when the key is another certificate's or the certificate expired."""
import subprocess

import pytest


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=ca", "-keyout", "ca.key", "-out", "ca.pem", cwd=directory)
    (directory / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    for name, days in (("client", "30"), ("other", "30"), ("expired", "-1")):
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={name}",
                "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=directory)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", days,
                "-extfile", "client.ext", "-out", f"{name}.pem", cwd=directory)
    return directory


def check(exporter, *flags):
    return subprocess.run([str(exporter), "--config.check", "--cm.url=https://cm.example.com", *flags],
                          capture_output=True, text=True, timeout=60)


def test_config_check_reads_the_pair(built_binaries, pki):
    exporter, _ = built_binaries
    out = check(exporter, f"--cm.client-cert-file={pki / 'client.pem'}", f"--cm.client-key-file={pki / 'client.key'}")
    assert out.returncode == 0, out.stderr
    serial = subprocess.run(["openssl", "x509", "-noout", "-serial", "-in", str(pki / "client.pem")],
                            capture_output=True, text=True, check=True).stdout.strip().removeprefix("serial=")
    assert "grant client_credential" in out.stdout
    assert f"client certificate serial {serial}" in out.stdout
    assert "warning" not in out.stdout


@pytest.mark.parametrize("cert, key, flag, problem", [
    ("client.pem", "other.key", "--cm.client-key-file", "does not belong to the client certificate"),
    ("expired.pem", "expired.key", "--cm.client-cert-file", "expired at"),
])
def test_a_bad_pair_is_one_line_naming_the_flag(built_binaries, pki, cert, key, flag, problem):
    exporter, _ = built_binaries
    out = check(exporter, f"--cm.client-cert-file={pki / cert}", f"--cm.client-key-file={pki / key}")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0] and problem in lines[0], out.stderr
    assert "PRIVATE KEY" not in out.stderr + out.stdout
