package data

import "time"

// Device is a tablet or computer paired with the location's hub: it holds
// a credential the hub checks on every call, until a manager revokes it.
type Device struct {
	ID       ID
	Name     string
	PairedAt time.Time
	PairedBy string
	LastSeen time.Time
	// RevokedAt is when a manager revoked the device; zero while it is active.
	RevokedAt time.Time
	RevokedBy string
	// CredentialHash is the hash of the device's credential; it never
	// leaves the hub.
	CredentialHash []byte
}

// Active reports whether the device may still reach the hub.
func (d Device) Active() bool { return d.RevokedAt.IsZero() }

// PairingCode is a one-time code a manager makes so that one device can
// pair with the hub, valid until Expires.
type PairingCode struct {
	ID         ID
	Code       string
	DeviceName string
	Expires    time.Time
	CreatedBy  string
}
