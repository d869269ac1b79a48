package data

import (
	"context"
	"testing"
)

func TestWriteKey(t *testing.T) {
	if k, ok := WriteKey(context.Background()); ok {
		t.Fatalf("a bare context has key %q", k)
	}
	if _, ok := WriteKey(WithWriteKey(context.Background(), "")); ok {
		t.Fatal("an empty key counts as a key")
	}
	if k, ok := WriteKey(WithWriteKey(context.Background(), "k1")); !ok || k != "k1" {
		t.Fatalf("WriteKey = %q, %v; want k1", k, ok)
	}
}
