// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// throwaway cluster that scripts/test.sh starts (scripts/pg.sh), named by
// LOCATIEDESK_TEST_PG. Without it the tests that need one are skipped, unless
// LOCATIEDESK_REQUIRE_PG is set, as the test script sets it: CI never skips
// them silently.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var counter atomic.Int64

// Cluster is the superuser address of the test cluster; it skips (or, when
// PostgreSQL is required, fails) the test when there is none.
func Cluster(t testing.TB) string {
	t.Helper()
	address := os.Getenv("LOCATIEDESK_TEST_PG")
	if address == "" {
		if os.Getenv("LOCATIEDESK_REQUIRE_PG") != "" {
			t.Fatal("LOCATIEDESK_TEST_PG is not set: start the test cluster with scripts/pg.sh (scripts/test.sh does)")
		}
		t.Skip("no test PostgreSQL: run scripts/test.sh, or `source scripts/pg.sh && pg_start` first")
	}
	return address
}

// Database creates an empty database for this test and returns its
// address; it is dropped when the test ends.
func Database(t testing.TB) string {
	t.Helper()
	cluster := Cluster(t)
	name := fmt.Sprintf("test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, cluster)
	if err != nil {
		t.Fatalf("connect to the test cluster: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { Drop(t, cluster, name) })
	return WithDatabase(t, cluster, name)
}

// WithDatabase is address with its database replaced by name.
func WithDatabase(t testing.TB, address, name string) string {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil {
		t.Fatalf("test cluster address: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Drop drops database name, ending its sessions.
func Drop(t testing.TB, cluster, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, cluster)
	if err != nil {
		t.Errorf("connect to the test cluster: %v", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("drop test database %s: %v", name, err)
	}
}
