// TEMPORARY, never merged into main: stands in for the requests part's
// decideRequest and cancel until that part lands; removed then.
package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

type decision func(ctx context.Context, tx pgx.Tx, r *data.Request, now time.Time, changed *[]data.Change) error

func cancel(ctx context.Context, tx pgx.Tx, r *data.Request, now time.Time, changed *[]data.Change) error {
	return nil
}
func decideRequest(ctx context.Context, tx pgx.Tx, id data.ID, by, reason string, now time.Time, allow func(data.Request) error, change decision, changed *[]data.Change) error {
	return errors.New("shim")
}
