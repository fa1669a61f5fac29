#include "tls.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <utility>

namespace gdos_mock {
namespace {

std::string openssl_reason(const char* what) {
  std::string s = what;
  const unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    s += ": ";
    s += buf;
  }
  ERR_clear_error();
  return s;
}

pkey_ptr make_key() { return pkey_ptr(EVP_EC_gen("P-256")); }

// A random 128-bit positive serial: two runs must never present the same issuer+serial with
// different keys, or clients that cache certificates would get confused.
bool set_random_serial(X509* x) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_new(), &BN_free);
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) return false;
  return BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x)) != nullptr;
}

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

x509_ptr new_cert(EVP_PKEY* key, const std::string& cn, int valid_days) {
  x509_ptr x(X509_new());
  if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1 || !set_random_serial(x.get()))
    return nullptr;
  // Backdated an hour so a client whose clock is slightly behind still accepts it.
  if (X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(x.get()), 86400L * valid_days) == nullptr ||
      X509_set_pubkey(x.get(), key) != 1)
    return nullptr;
  X509_NAME* name = X509_get_subject_name(x.get());
  const auto* o = reinterpret_cast<const unsigned char*>("gdos mock endpoint");
  const auto* c = reinterpret_cast<const unsigned char*>(cn.c_str());
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, o, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, c, -1, -1, 0) != 1)
    return nullptr;
  return x;
}

std::string to_pem(X509* x) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), x) != 1) return {};
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

tls_identity make_tls_identity(std::string& error, int valid_days) {
  tls_identity id;
  pkey_ptr ca_key = make_key();
  id.server_key = make_key();
  if (!ca_key || !id.server_key) {
    error = openssl_reason("generating P-256 keys");
    return {};
  }

  unsigned char tag[4];
  if (RAND_bytes(tag, sizeof tag) != 1) {
    error = openssl_reason("RAND_bytes");
    return {};
  }
  char tag_hex[9];
  std::snprintf(tag_hex, sizeof tag_hex, "%02x%02x%02x%02x", tag[0], tag[1], tag[2], tag[3]);

  // The CA: a trust anchor that can sign only end-entity certificates (pathlen 0).
  id.ca_cert = new_cert(ca_key.get(), std::string("gdos mock CA ") + tag_hex, valid_days);
  X509* ca = id.ca_cert.get();
  if (ca == nullptr || X509_set_issuer_name(ca, X509_get_subject_name(ca)) != 1 ||
      !add_ext(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_ext(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_ext(ca, ca, NID_subject_key_identifier, "hash") ||
      !add_ext(ca, ca, NID_authority_key_identifier, "keyid:always") ||
      X509_sign(ca, ca_key.get(), EVP_sha256()) == 0) {
    error = openssl_reason("building the CA certificate");
    return {};
  }

  // The server: what strict verifiers (OpenSSL's X509_STRICT, browsers) require of a leaf.
  id.server_cert = new_cert(id.server_key.get(), "localhost", valid_days);
  X509* srv = id.server_cert.get();
  if (srv == nullptr || X509_set_issuer_name(srv, X509_get_subject_name(ca)) != 1 ||
      !add_ext(srv, ca, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(srv, ca, NID_key_usage, "critical,digitalSignature") ||
      !add_ext(srv, ca, NID_ext_key_usage, "serverAuth") ||
      !add_ext(srv, ca, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !add_ext(srv, ca, NID_subject_key_identifier, "hash") ||
      !add_ext(srv, ca, NID_authority_key_identifier, "keyid:always") ||
      X509_sign(srv, ca_key.get(), EVP_sha256()) == 0) {
    error = openssl_reason("building the server certificate");
    return {};
  }

  id.ca_pem = to_pem(ca);
  id.server_pem = to_pem(srv);
  if (id.ca_pem.empty() || id.server_pem.empty()) {
    error = openssl_reason("writing PEM");
    return {};
  }
  return id;
}

}  // namespace gdos_mock
