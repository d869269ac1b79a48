package data

import (
	"errors"
	"testing"
	"text/template"
)

func TestRefusals_CodesAreUnique(t *testing.T) {
	total := 0
	for _, c := range refusalCatalogs {
		total += len(c)
	}
	if total != len(refusals) {
		t.Errorf("%d codes in the catalogs, %d after merging them: two areas share a code", total, len(refusals))
	}
	for code, text := range refusals {
		if _, err := template.New(code).Parse(text.Text); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}

func TestRefusal_SaysItsSentenceAndKeepsItsKind(t *testing.T) {
	err := Refuse(RefuseCapacity, Args{"Name": "Rupsjes", "Max": MaxCapacity})
	if got, want := err.Error(), "Group Rupsjes: places must be 1 to 99."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Error("a refusal is ErrInvalid unless its code says otherwise")
	}
	if errors.Is(err, ErrLocked) {
		t.Error("a capacity refusal is not ErrLocked")
	}
}
