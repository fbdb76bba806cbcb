//! https with a certificate the user already has (`serve --lan --tls-cert
//! FILE --tls-key FILE`), for example one their VPN or router issues: a
//! phone's browser then treats the page as a secure context (and offers to
//! add it to the home screen). notedeck never makes a certificate itself.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// The certificate chain and private key to serve https with (PEM files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, the server's own certificate first.
    pub cert: PathBuf,
    /// Its private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// The acceptor for `files`, or a message saying what is wrong with them
/// and what to give instead.
pub fn acceptor(files: &TlsFiles) -> Result<TlsAcceptor, String> {
    let certs = read_certs(&files.cert)?;
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| {
        format!(
            "cannot read a private key from {}: {e}; give the key of the certificate as a PEM file (--tls-key)",
            files.key.display()
        )
    })?;
    // ring rather than aws-lc-rs: it builds from source without cmake on
    // every machine we support; it has no post-quantum key exchange, which
    // a phone on the home network does without.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            format!(
                "the certificate {} and the key {} do not go together ({e}); give the key that belongs to the certificate",
                files.cert.display(),
                files.key.display()
            )
        })?;
    // Browsers speak HTTP/1.1 to it, as over plain http.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let unreadable = |e: &dyn std::fmt::Display| {
        format!(
            "cannot read a certificate from {}: {e}; give the certificate chain as a PEM file (--tls-cert)",
            path.display()
        )
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| unreadable(&e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(&e))?;
    if certs.is_empty() {
        return Err(unreadable(&"it holds no certificate"));
    }
    Ok(certs)
}
