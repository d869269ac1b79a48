package pgstore_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// TestOpen_RefusesADatabaseOfANewerProgram: a database a newer Locatiedesk
// migrated is left alone, with a message that says what to do.
func TestOpen_RefusesADatabaseOfANewerProgram(t *testing.T) {
	ctx := t.Context()
	address := pgtest.Database(t)
	db, err := pgstore.Open(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)`); err != nil {
		t.Fatal(err)
	}
	var tables int
	count := func() int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tables = count()
	_, err = pgstore.Open(ctx, address)
	if !errors.Is(err, pgstore.ErrNewerSchema) || !strings.Contains(err.Error(), "schema 9999") || !strings.Contains(err.Error(), "update Locatiedesk") {
		t.Fatalf("open a newer database: %v", err)
	}
	if count() != tables {
		t.Error("the refused open changed the database's tables")
	}
}

// TestOpen_AMistypedAddressSaysSoWithoutItsPassword: a wrong address fails
// with a message that names it, never showing the password.
func TestOpen_AMistypedAddressSaysSoWithoutItsPassword(t *testing.T) {
	pgtest.Cluster(t)
	ctx := t.Context()
	for _, address := range []string{
		"postgres://hub:geheim@127.0.0.1:1/organisatie?connect_timeout=2",
		"postgress://hub:geheim@host/db",
	} {
		_, err := pgstore.Open(ctx, address)
		if err == nil || strings.Contains(err.Error(), "geheim") {
			t.Errorf("open %s: %v; want an error without the password", address, err)
		}
	}
}
