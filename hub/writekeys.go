package hub

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// maxHeaderKey is the longest idempotency key a device may send.
const maxHeaderKey = 64

// storedKey is the key the store records for a write with the device's
// header key: scoped to who sent it, so that two devices' keys never name
// one write, and hashed, so that the data file holds no session token.
func (h *Hub) storedKey(principal, headerKey string) string {
	sum := sha256.Sum256([]byte(h.writeScope(principal) + "\x00" + headerKey))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// writeScope names the sender of a write for as long as its keys are kept:
// a session ends when the hub restarts or the person signs in again, but
// the retry of its write must still be known, so a session counts as its
// person.
func (h *Hub) writeScope(principal string) string {
	if token, ok := strings.CutPrefix(principal, "session:"); ok {
		if userID, ok := h.sessionUser(token); ok {
			return "user:" + strconv.FormatUint(uint64(userID), 10)
		}
	}
	return principal
}
