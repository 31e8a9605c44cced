"""The binaries over real mutual TLS: the simulator serves with a web config that asks for client
certificates (client_auth_type RequestClientCert, client_ca_file) and a 3 s token lifetime; the
exporter logs in with --cm.auth-grant=client_credential and a certificate and key made by
openssl, renews across several JWTs (one login each), publishes the certificate's expiry, and
takes a certificate rotated in place (both files replaced) without a restart: the simulator sees
the new serial at the next login and no poll fails."""
import datetime
import json
import re
import ssl
import subprocess
import urllib.request

from stack import QUIET_SIMULATOR, http_get, started, start_exporter, start_simulator, wait_until


def openssl(*args, cwd):
    return subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          timeout=60).stdout


def make_pki(directory):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=ca", "-keyout", "ca.key", "-out", "ca.pem", cwd=directory)
    exts = {"cm": "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
            "client1": "extendedKeyUsage=clientAuth\n", "client2": "extendedKeyUsage=clientAuth\n"}
    for name, ext in exts.items():
        (directory / f"{name}.ext").write_text(ext)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={name}",
                "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=directory)
        days = "3" if name == "client2" else "2"  # a rotation moves the expiry metric visibly
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", days,
                "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=directory)


def install(directory, name):
    """Both files replaced by a rename, as Kubernetes swaps a Secret."""
    for suffix, target in (("pem", "client.pem"), ("key", "client.key")):
        (directory / f"{target}.new").write_bytes((directory / f"{name}.{suffix}").read_bytes())
        (directory / f"{target}.new").rename(directory / target)


def serial(directory, name):
    return openssl("x509", "-noout", "-serial", "-in", f"{name}.pem", cwd=directory).strip().removeprefix("serial=")


def not_after(directory, name) -> float:
    text = openssl("x509", "-noout", "-enddate", "-in", f"{name}.pem", cwd=directory).strip()
    moment = datetime.datetime.strptime(text.removeprefix("notAfter="), "%b %d %H:%M:%S %Y %Z")
    return moment.replace(tzinfo=datetime.timezone.utc).timestamp()


def sample(metrics: str, name: str):
    found = re.search(rf"^{name}\{{[^}}]*\}} (\S+)$", metrics, re.M)
    return found and float(found.group(1))


def test_certificate_login_renewal_and_rotation(built_binaries, tmp_path):
    exporter_bin, simulator_bin = built_binaries
    make_pki(tmp_path)
    install(tmp_path, "client1")
    (tmp_path / "web.yml").write_text(
        f"tls_server_config:\n  cert_file: {tmp_path / 'cm.pem'}\n  key_file: {tmp_path / 'cm.key'}\n"
        f"  client_auth_type: RequestClientCert\n  client_ca_file: {tmp_path / 'ca.pem'}\n")
    with started([]) as processes:
        _, sim_url = start_simulator(simulator_bin, tmp_path, processes, "unused-Pa55", extra_args=[
            *QUIET_SIMULATOR, "--history", "3", "--new-job-interval", "0", "--token-lifetime", "3",
            "--web.config.file", str(tmp_path / "web.yml")])
        assert sim_url.startswith("https://")
        exporter, url = start_exporter(exporter_bin, tmp_path, processes, sim_url, "unused-Pa55", extra_args=[
            "--cm.auth-grant=client_credential", f"--cm.ca-file={tmp_path / 'ca.pem'}",
            f"--cm.client-cert-file={tmp_path / 'client.pem'}", f"--cm.client-key-file={tmp_path / 'client.key'}"])

        trust = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))

        def stats():
            with urllib.request.urlopen(sim_url + "/sim/stats", context=trust, timeout=5) as answer:
                return json.loads(answer.read())

        wait_until("three renewals", lambda: stats()["logins"].get("client_credential", 0) >= 4, 30)
        first = serial(tmp_path, "client1")
        assert set(stats()["certificate_login_serials"]) == {first}
        assert stats()["logins"].keys() == {"client_credential"}
        metrics = http_get(url + "/metrics")[1]
        assert sample(metrics, "cckm_up") == 1
        assert sample(metrics, "cckm_cm_client_certificate_expiry_timestamp_seconds") == not_after(tmp_path, "client1")

        install(tmp_path, "client2")
        second = serial(tmp_path, "client2")
        assert not_after(tmp_path, "client2") > not_after(tmp_path, "client1")
        wait_until("a login with the new certificate", lambda: stats()["certificate_login_serials"][-1] == second, 30)
        metrics = http_get(url + "/metrics")[1]
        assert sample(metrics, "cckm_cm_client_certificate_expiry_timestamp_seconds") == not_after(tmp_path, "client2")
        log = exporter.output()
        assert "credentials re-read" in log
        assert "poll failed" not in log and "poll failing" not in log, log[-3000:]
        assert log.count("mode=complete") == 3, "one complete walk per listing, none after the rotation"
        assert "PRIVATE KEY" not in log
