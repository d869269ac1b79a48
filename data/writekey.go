package data

import (
	"context"
	"errors"
	"time"
)

type writeKeyCtx struct{}

// WithWriteKey names the write made with ctx: a write with the same key is
// applied once, however often it is sent (a retry after a lost answer, the
// replay of a device's offline outbox). Keys are chosen by the device that
// first made the write and must be unique to it, e.g. 16 random bytes.
//
// A store that has applied a write with the key runs nothing for it again:
// the local file answers ErrAlreadyApplied, the hub's client a success with
// the zero result (the hub gave the real one to the first attempt). A write
// that failed leaves no trace of its key, so its retry is judged afresh.
// Sign-in and set-up are never skipped: their answer is a session, which
// only a run can give.
func WithWriteKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, writeKeyCtx{}, key)
}

// WriteKey is the key WithWriteKey put on ctx, if any.
func WriteKey(ctx context.Context) (string, bool) {
	k, ok := ctx.Value(writeKeyCtx{}).(string)
	return k, ok && k != ""
}

// ErrAlreadyApplied is the answer to a write whose key names a write the
// store applied before: nothing ran and nothing was written this time.
var ErrAlreadyApplied = errors.New("this change was made already")

// WriteKeyKept is how long a store remembers an applied write's key. A
// device must not send a write again after it (an offline outbox shows such
// a write to the person instead of replaying it). It is far beyond any
// outage a location rides out, and past what the rules would accept anyway:
// an attendance edit of a day gone by needs an unlock.
const WriteKeyKept = 30 * 24 * time.Hour

// MaxWriteKey is the longest key a store keeps.
const MaxWriteKey = 128
