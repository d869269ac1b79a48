package hub

import (
	"context"
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

// keyRecord is a store that can say whether a write key was applied
// (boltstore.DB).
type keyRecord interface {
	WriteApplied(ctx context.Context, key string) (bool, error)
}

// applied reports whether the store holds the write the stored key names,
// before the write's method runs: its checks ahead of the transaction (the
// day is today, the time has passed) may no longer hold for a retry that
// comes late, which must still be answered as applied. A store that cannot
// tell, or fails to, leaves it to the write's own transaction.
func (h *Hub) applied(ctx context.Context, stored string) bool {
	r, ok := h.store.(keyRecord)
	if !ok {
		return false
	}
	applied, err := r.WriteApplied(ctx, stored)
	return err == nil && applied
}
