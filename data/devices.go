package data

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Device is a tablet or computer paired with the location's hub by a
// manager. It proves itself on every call with the credential it got when it
// was paired; the hub keeps only the credential's hash. A revoked device
// stays listed (the log names it) but gets nothing from the hub any more.
type Device struct {
	ID       ID        `json:"id"`
	Name     string    `json:"name"`
	PairedAt time.Time `json:"pairedAt"`
	PairedBy string    `json:"pairedBy"`
	// LastSeen is bookkeeping of the hub (at most once a minute), not an action.
	LastSeen  time.Time `json:"lastSeen,omitzero"`
	RevokedAt time.Time `json:"revokedAt,omitzero"` // zero: the device is active
	RevokedBy string    `json:"revokedBy,omitempty"`
	// LocationIDs are the locations of the manager who paired it: the
	// managers of those manage it (see Actor.MayManageDevice).
	LocationIDs []ID `json:"locationIds,omitempty"`
	// CredentialHash is the SHA-256 of the device's credential; it never
	// leaves the hub.
	CredentialHash []byte `json:"credentialHash,omitempty"`
}

// Active reports whether the device is still paired.
func (d Device) Active() bool { return d.RevokedAt.IsZero() }

// PairingCode is a one-time code a manager makes for a new device: the
// device types it within PairingCodeValid and is paired under DeviceName.
type PairingCode struct {
	ID   ID     `json:"id"`
	Code string `json:"code"` // normalized: PairingCodeLength letters and digits
	// DeviceName is the name the manager gave the device; empty lets the
	// device name itself.
	DeviceName string    `json:"deviceName,omitempty"`
	Expires    time.Time `json:"expires"`
	CreatedBy  string    `json:"createdBy"`
	// LocationIDs are the locations of the manager who made the code; the
	// device paired with it gets them.
	LocationIDs []ID `json:"locationIds,omitempty"`
	// UsedAt is when a device was paired with the code, which it is once only.
	UsedAt time.Time `json:"usedAt,omitzero"`
}

// ErrWrongCredential is a device credential that is not the device's.
var ErrWrongCredential = errors.New("the device's credential is not right")

// ChangeDevice is a device paired or revoked, or a pairing code made.
const ChangeDevice ChangeKind = "device"

// PairingCodeValid is how long a new pairing code may be used.
const PairingCodeValid = 10 * time.Minute

// PairingCodeLength is the number of characters of a pairing code.
const PairingCodeLength = 10

// pairingAlphabet has no characters that read alike (0/O, 1/I/L): a code is
// read off one screen and typed on another.
const pairingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// The codes of refusals of pairing devices.
const (
	RefusePairingCodeUnknown = "pairing-code-unknown" // no open code matches (mistyped, used, expired, or another hub)
	RefusePairingCodeUsed    = "pairing-code-used"    // a device was paired with the code already
	RefusePairingCodeExpired = "pairing-code-expired" // the code's ten minutes are over
	RefusePairingCodeFormat  = "pairing-code-format"  // not ten characters of the code's alphabet
	RefuseDeviceNoName       = "device-no-name"       // neither the manager nor the device gave a name
	RefuseDeviceNameTaken    = "device-name-taken"    // an active device has the name
	RefuseDeviceRevoked      = "device-revoked"       // ErrDeviceRevoked: revoked before
	RefuseHubOnly            = "device-hub-only"      // a call only the hub itself makes
)

var deviceRefusals = map[string]RefusalText{
	RefusePairingCodeUnknown: {Text: "This pairing code is not valid: it is mistyped, used already, expired, or from another computer. Ask the manager for a new code."},
	RefusePairingCodeUsed:    {Text: "This pairing code has been used already. Ask the manager for a new code."},
	RefusePairingCodeExpired: {Text: "This pairing code expired at {{.Time}}. Ask the manager for a new code."},
	RefusePairingCodeFormat:  {Text: "A pairing code has 10 letters and digits, such as ABCDE-23456."},
	RefuseDeviceNoName:       {Text: "Give the device a name, such as the group room it is in."},
	RefuseDeviceNameTaken:    {Text: "A paired device is called {{.Name}} already. Choose another name."},
	RefuseDeviceRevoked:      {Text: "{{.Name}} is no longer paired. A manager can pair it again with a new code.", Kind: ErrForbidden},
	RefuseHubOnly:            {Text: "Only the location's computer itself may do this.", Kind: ErrForbidden},
}

// NewPairingCodeText is a new random code, normalized.
func NewPairingCodeText() string {
	b := make([]byte, PairingCodeLength)
	for i := range b {
		b[i] = pairingAlphabet[randIndex(len(pairingAlphabet))]
	}
	return string(b)
}

// randIndex is a uniform random number below n (n < 256).
func randIndex(n int) int {
	limit := 256 - 256%n // drop the bytes that would favour the first characters
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// NormalizePairingCode is a typed code as stored: upper case, without spaces
// and dashes; a code of the wrong length or with a character the alphabet
// does not have is refused.
func NormalizePairingCode(typed string) (string, error) {
	code := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, strings.ToUpper(typed))
	if len(code) != PairingCodeLength || strings.Trim(code, pairingAlphabet) != "" {
		return "", Refuse(RefusePairingCodeFormat, nil)
	}
	return code, nil
}

// FormatPairingCode shows a normalized code in two halves, XXXXX-XXXXX.
func FormatPairingCode(code string) string {
	if len(code) != PairingCodeLength {
		return code
	}
	return code[:PairingCodeLength/2] + "-" + code[PairingCodeLength/2:]
}

// UsableAt refuses a code that was used, or that expired by now.
func (c PairingCode) UsableAt(now time.Time) error {
	if !c.UsedAt.IsZero() {
		return Refuse(RefusePairingCodeUsed, nil)
	}
	if !now.Before(c.Expires) {
		return Refuse(RefusePairingCodeExpired, Args{"Time": NewClock(c.Expires.Hour(), c.Expires.Minute())})
	}
	return nil
}

// PairedDeviceName is the name a device is paired under: the manager's on
// the code, else the one the device asked for.
func PairedDeviceName(c PairingCode, asked string) (string, error) {
	name := strings.TrimSpace(c.DeviceName)
	if name == "" {
		name = strings.TrimSpace(asked)
	}
	if name == "" {
		return "", Refuse(RefuseDeviceNoName, nil)
	}
	return name, nil
}

// CheckDeviceName refuses a name an active device has already, so that the
// log's device names say which device a write came from.
func CheckDeviceName(name string, devices []Device) error {
	if strings.TrimSpace(name) == "" {
		return nil // the device names itself when it pairs
	}
	for _, d := range devices {
		if d.Active() && strings.EqualFold(d.Name, strings.TrimSpace(name)) {
			return Refuse(RefuseDeviceNameTaken, Args{"Name": d.Name})
		}
	}
	return nil
}

// MayManageDevice refuses a manager a device paired by a manager of other
// locations: on a hub of several locations, each manages their own
// tablets. A device paired on the hub's own computer (no locations) is
// every manager's.
func (a Actor) MayManageDevice(d Device) error {
	if err := a.MayDo(ActAdmin); err != nil {
		return err
	}
	if len(d.LocationIDs) == 0 || slices.ContainsFunc(d.LocationIDs, func(id ID) bool { return slices.Contains(a.Locations, id) }) {
		return nil
	}
	return Refuse(RefuseOtherLocation, nil)
}

// PairingProof is what a device sends instead of the code: an HMAC of the
// hub's certificate fingerprint as the device saw it, keyed by the
// normalized code. Only the hub whose certificate the device saw can match
// it with a code of its own; a man in the middle has another certificate.
func PairingProof(code, fingerprint string) []byte {
	m := hmac.New(sha256.New, []byte(code))
	m.Write([]byte(strings.ToUpper(fingerprint)))
	return m.Sum(nil)
}

// ProofMatches reports whether proof is the proof of code for fingerprint.
func ProofMatches(proof []byte, code, fingerprint string) bool {
	return hmac.Equal(proof, PairingProof(code, fingerprint))
}

// HashCredential is what the hub keeps of a device credential. The
// credential is 32 random bytes, so a fast hash is as strong as a slow one.
func HashCredential(credential string) []byte {
	sum := sha256.Sum256([]byte(credential))
	return sum[:]
}

// CheckCredential refuses a revoked device or a credential that is not the
// device's.
func (d Device) CheckCredential(credential string) error {
	if !d.Active() {
		return Refuse(RefuseDeviceRevoked, Args{"Name": d.Name})
	}
	if len(d.CredentialHash) == 0 || subtle.ConstantTimeCompare(d.CredentialHash, HashCredential(credential)) != 1 {
		return ErrWrongCredential
	}
	return nil
}

// NewPairingCode is a fresh code made at now by actor a (nil: on the hub's
// own computer) for a device to be named deviceName (empty: the device names
// itself); the device will work at a's locations.
func NewPairingCode(a *Actor, deviceName string, now time.Time) PairingCode {
	c := PairingCode{Code: NewPairingCodeText(), DeviceName: strings.TrimSpace(deviceName),
		Expires: now.Add(PairingCodeValid), CreatedBy: ActorName(a)}
	if a != nil {
		c.LocationIDs = slices.Clone(a.Locations)
	}
	return c
}

// Made is the change of making code c, for the audit log.
func (c PairingCode) Made() Change {
	what := "pairing code made"
	if c.DeviceName != "" {
		what += " for device " + c.DeviceName
	}
	return Change{Kind: ChangeDevice, Detail: what}
}

// PairWith is the device paired at now with code c (which the pairing uses
// up), named as the code or the device asks (asked), among the devices
// paired before; and its change for the audit log. The caller numbers it.
func PairWith(c PairingCode, asked string, credentialHash []byte, devices []Device, now time.Time) (Device, Change, error) {
	if err := c.UsableAt(now); err != nil {
		return Device{}, Change{}, err
	}
	name, err := PairedDeviceName(c, asked)
	if err != nil {
		return Device{}, Change{}, err
	}
	if err := CheckDeviceName(name, devices); err != nil {
		return Device{}, Change{}, err
	}
	d := Device{Name: name, PairedAt: now, PairedBy: c.CreatedBy, LastSeen: now,
		LocationIDs: c.LocationIDs, CredentialHash: slices.Clone(credentialHash)}
	return d, Change{Kind: ChangeDevice, Detail: fmt.Sprintf("device %s paired with the code of %s", name, c.CreatedBy)}, nil
}

// Revoke unpairs d at now by who, and says so for the audit log; a device
// unpaired already is refused.
func (d Device) Revoke(now time.Time, by string) (Device, Change, error) {
	if !d.Active() {
		return d, Change{}, Refuse(RefuseDeviceRevoked, Args{"Name": d.Name})
	}
	d.RevokedAt, d.RevokedBy = now, by
	return d, Change{Kind: ChangeDevice, Detail: "device " + d.Name + " unpaired"}, nil
}

// SortDevices puts the active devices first, each part by name.
func SortDevices(devices []Device) {
	slices.SortStableFunc(devices, func(a, b Device) int {
		if a.Active() != b.Active() {
			if a.Active() {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// ActorName is who a handle of actor a (nil: the system) acts as, for the
// records that name them.
func ActorName(a *Actor) string {
	if a == nil {
		return SystemName
	}
	return a.Name
}
