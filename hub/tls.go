package hub

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The files a hub keeps beside its data file, readable by its owner only.
const (
	certSuffix     = ".hub-cert.pem"
	keySuffix      = ".hub-key.pem"
	ownerKeySuffix = ".hub-owner-key"
	sessionSuffix  = ".hub-session-key"
)

// Certificate is the hub's TLS certificate for the data file at dataPath:
// made at the first start (self-signed; devices pin its fingerprint, so no
// authority is involved) and kept beside the data file.
func Certificate(dataPath string) (tls.Certificate, error) {
	certFile, keyFile := dataPath+certSuffix, dataPath+keySuffix
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err == nil {
		return cert, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return tls.Certificate{}, fmt.Errorf("the hub's certificate %s: %w", certFile, err)
	}
	certPEM, keyPEM, err := selfSigned()
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := WritePrivateFile(keyFile, keyPEM); err != nil {
		return tls.Certificate{}, err
	}
	if err := WritePrivateFile(certFile, certPEM); err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// OwnerKey is the secret that acts as the data file's owner through the hub,
// for the command line on the hub's own computer; made at the first start.
func OwnerKey(dataPath string) (string, error) {
	file := dataPath + ownerKeySuffix
	b, err := os.ReadFile(file)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	text := hex.EncodeToString(key)
	return text, WritePrivateFile(file, []byte(text+"\n"))
}

// SessionSecret is the secret the hub signs sessions with, made at the
// first start and kept beside the data file, so that people stay signed in
// when the hub restarts. Removing the file signs everyone out.
func SessionSecret(dataPath string) ([]byte, error) {
	file := dataPath + sessionSuffix
	b, err := os.ReadFile(file)
	if err == nil {
		secret, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(secret) < 32 {
			return nil, fmt.Errorf("the hub's session key %s is damaged: remove it (everyone signs in again)", file)
		}
		return secret, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return secret, WritePrivateFile(file, []byte(hex.EncodeToString(secret)+"\n"))
}

// ReadOwnerKey reads the owner key beside the data file, if a hub made one.
func ReadOwnerKey(dataPath string) (string, error) {
	b, err := os.ReadFile(dataPath + ownerKeySuffix)
	return strings.TrimSpace(string(b)), err
}

// Fingerprint is the SHA-256 of the certificate, as pairs of hex digits
// joined by colons (as openssl x509 -fingerprint -sha256 shows it).
func Fingerprint(cert tls.Certificate) string {
	return FingerprintOf(cert.Certificate[0])
}

// FingerprintOf is the fingerprint of a DER certificate.
func FingerprintOf(der []byte) string {
	sum := sha256.Sum256(der)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(pairs, ":")
}

func selfSigned() (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, err
	}
	host, _ := os.Hostname()
	names := []string{"localhost"}
	if host != "" {
		names = append(names, host)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Locatiedesk hub " + host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(20, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     names,
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// WritePrivateFile writes a file only its owner reads, whole or not at all:
// the hub's keys, and a device's credential (package client).
func WritePrivateFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Identity is what the hubs of an organisation on one database share, kept
// in that database: the certificate devices pin, the key sessions are
// signed with and the owner key. A device paired through one hub then works
// through every other, and stays signed in when it moves over.
type Identity struct {
	CertPEM       []byte `json:"certPEM"`
	KeyPEM        []byte `json:"keyPEM"`
	OwnerKey      string `json:"ownerKey"`
	SessionSecret []byte `json:"sessionSecret"`
}

// NewIdentity makes a fresh identity, for the first hub of an organisation.
func NewIdentity() (Identity, error) {
	certPEM, keyPEM, err := selfSigned()
	if err != nil {
		return Identity{}, err
	}
	owner, session := make([]byte, 32), make([]byte, 32)
	if _, err := rand.Read(owner); err != nil {
		return Identity{}, err
	}
	if _, err := rand.Read(session); err != nil {
		return Identity{}, err
	}
	return Identity{CertPEM: certPEM, KeyPEM: keyPEM, OwnerKey: hex.EncodeToString(owner), SessionSecret: session}, nil
}

// Certificate is the identity's TLS certificate.
func (id Identity) Certificate() (tls.Certificate, error) {
	cert, err := tls.X509KeyPair(id.CertPEM, id.KeyPEM)
	if err != nil {
		return cert, fmt.Errorf("the hubs' shared certificate is damaged: %w", err)
	}
	return cert, nil
}
