package data

import "context"

type writeKeyCtx struct{}

// WithWriteKey names the write made with ctx: a write with the same key is
// applied once, however often it is sent (a retry after a lost answer, the
// replay of a device's offline outbox). Keys are chosen by the device that
// first made the write and must be unique to it, e.g. 16 random bytes.
func WithWriteKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, writeKeyCtx{}, key)
}

// WriteKey is the key WithWriteKey put on ctx, if any.
func WriteKey(ctx context.Context) (string, bool) {
	k, ok := ctx.Value(writeKeyCtx{}).(string)
	return k, ok && k != ""
}
