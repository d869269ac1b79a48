package hub

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// sessionLifetime is how long a sign-in lasts: a working day and a bit.
const sessionLifetime = 12 * time.Hour

// session is one person signed in on one device (0: through the owner key,
// on the hub's own computer).
type session struct {
	userID   data.ID
	deviceID data.ID
	issued   time.Time
}

// A session token is the session itself, signed with the hub's session
// secret: the hub keeps no list of sessions, so they outlive a restart of
// the hub, and no one without the secret can make one. The hub checks the
// device and the person again on every call, so a revoked device or a
// deactivated account counts at once.
const sessionPayload = 24 // userID, deviceID, issued (Unix seconds), 8 bytes each

func (h *Hub) sign(s session) string {
	payload := make([]byte, sessionPayload)
	binary.BigEndian.PutUint64(payload[0:], uint64(s.userID))
	binary.BigEndian.PutUint64(payload[8:], uint64(s.deviceID))
	binary.BigEndian.PutUint64(payload[16:], uint64(s.issued.Unix()))
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(h.mac(payload))
}

func (h *Hub) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, h.sessionSecret)
	m.Write(payload)
	return m.Sum(nil)
}

// openSession is the session a token holds, if the hub signed it and it has
// not run out by now.
func (h *Hub) openSession(token string, now time.Time) (session, bool) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return session{}, false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || len(payload) != sessionPayload || !hmac.Equal(mac, h.mac(payload)) {
		return session{}, false
	}
	s := session{
		userID:   data.ID(binary.BigEndian.Uint64(payload[0:])),
		deviceID: data.ID(binary.BigEndian.Uint64(payload[8:])),
		issued:   time.Unix(int64(binary.BigEndian.Uint64(payload[16:])), 0),
	}
	if now.Sub(s.issued) > sessionLifetime || s.issued.After(now.Add(time.Minute)) {
		return session{}, false
	}
	return s, true
}

// startSession gives a person signed in on a device (0: none, through the
// owner key) a session token.
func (h *Hub) startSession(a data.Actor, deviceID data.ID) *wire.SessionResponse {
	token := h.sign(session{userID: a.UserID, deviceID: deviceID, issued: time.Now()})
	return &wire.SessionResponse{Actor: a, Session: token}
}

// sessionUser is the person a session token the hub signed is of, while it
// lasts.
func (h *Hub) sessionUser(token string) (data.ID, bool) {
	s, ok := h.openSession(token, time.Now())
	return s.userID, ok
}
