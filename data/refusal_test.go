package data_test

import (
	"errors"
	"testing"

	"locatiedesk/data"
)

// refusedWith checks that err is the refusal code, or no error when code is "".
func refusedWith(t *testing.T, err error, code string) {
	t.Helper()
	var r *data.Refusal
	switch {
	case code == "" && err != nil:
		t.Fatalf("refused: %v, want accepted", err)
	case code == "":
	case !errors.As(err, &r):
		t.Fatalf("error %v, want refusal %s", err, code)
	case r.Code != code:
		t.Fatalf("refusal %s (%v), want %s", r.Code, err, code)
	}
}
