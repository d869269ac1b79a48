package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// SetBeforeVerify makes Load run f between its writes and their check,
// until the test ends.
func SetBeforeVerify(f func(ctx context.Context, tx pgx.Tx) error) (restore func()) {
	beforeVerify = f
	return func() { beforeVerify = nil }
}
