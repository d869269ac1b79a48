package pgstore

// Methods not yet ported to PostgreSQL, by the part of the store that
// ports them. Each part deletes its stubs as it implements them; this file
// goes once it is empty.

import (
	"context"
	"errors"

	"locatiedesk/data"
)

var errUnported = errors.New("not yet on PostgreSQL")

// --- children ---

func (db *DB) ChildRecord(ctx context.Context, childID data.ID) (data.ChildRecord, error) {
	return data.ChildRecord{}, errUnported
}
