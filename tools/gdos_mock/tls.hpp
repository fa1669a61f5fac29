/// @file tls.hpp
/// @brief A throw-away certificate authority and server certificate for the mock endpoint.
///
/// Generated in memory with OpenSSL's C API at every start, so the mock needs no openssl command
/// and no key material is ever committed. Clients trust the mock by loading ca_pem (written to a
/// file by the caller), exactly as they would trust a private CA in production; a client that
/// does not load it must fail certificate verification, which the end-to-end tests check.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace gdos_mock {

/// Deleters so OpenSSL objects are owned by std::unique_ptr.
struct openssl_free {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};

using x509_ptr = std::unique_ptr<X509, openssl_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_free>;

/// A CA and a server certificate it signed, valid for `localhost`, 127.0.0.1 and ::1.
struct tls_identity {
  x509_ptr ca_cert;        ///< Self-signed CA (CN "gdos mock CA <random>").
  x509_ptr server_cert;    ///< Leaf certificate signed by ca_cert.
  pkey_ptr server_key;     ///< Private key of server_cert (the CA key is discarded).
  std::string ca_pem;      ///< ca_cert in PEM, what clients load as their trust anchor.
  std::string server_pem;  ///< server_cert in PEM (for diagnostics).
};

/// Generates a fresh identity: P-256 keys, SHA-256 signatures, valid from one hour ago for
/// `valid_days` days. On failure returns an identity with null pointers and sets `error` to
/// OpenSSL's reason.
[[nodiscard]] tls_identity make_tls_identity(std::string& error, int valid_days = 2);

}  // namespace gdos_mock
