package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
)

// TestImportConsent_C1_Command runs `locatiedesk import consent` as a user
// would: a bad file prints every bad line as FILE:LINE and exits 1 with
// nothing imported; the corrected file goes in.
func TestImportConsent_C1_Command(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "locatiedesk.db")
	var out, errOut bytes.Buffer
	if code := run([]string{"demo", "--db", db}, &out, &errOut); code != 0 {
		t.Fatalf("demo: exit %d, %s", code, errOut.String())
	}
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	bad := write("bad.csv", "\ufeffchild_id,level,date\n1,none,2025-06-01\n2,sometimes,2025-06-01\n999,public,2025-06-01\n3,portal\n")
	out.Reset()
	errOut.Reset()
	if code := run([]string{"import", "consent", "--db", db, bad}, &out, &errOut); code != 1 {
		t.Fatalf("bad file: exit %d, want 1", code)
	}
	for _, want := range []string{
		bad + `:3: unknown level "sometimes" (use none, portal or public)`,
		bad + ":4: unknown child 999",
		bad + ":5: 2 fields, but the header line has 3",
		"nothing was imported",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	store, err := boltstore.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.Consent(t.Context(), 1)
	store.Close()
	if err != nil || c.Level == data.ConsentNone {
		t.Fatalf("child 1 is %s (%v) after a refused file; nothing may be imported", c.Level, err)
	}

	good := write("good.csv", "child_id;level;date\n1;none;2025-06-01\n2;portal;2025-06-01\n")
	out.Reset()
	errOut.Reset()
	if code := run([]string{"import", "consent", "--db", db, good}, &out, &errOut); code != 0 {
		t.Fatalf("good file: exit %d: %s", code, errOut.String())
	}
	if want := "imported 2 photo-consent answers from " + good; !strings.Contains(out.String(), want) {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}

	for _, args := range [][]string{{"import"}, {"import", "consent", "--db", db}, {"import", "consent", "--db", db, filepath.Join(dir, "missing.csv")}} {
		errOut.Reset()
		if code := run(args, &out, &errOut); code != 1 || errOut.Len() == 0 {
			t.Errorf("%v: exit %d with message %q, want 1 and a message", args, code, errOut.String())
		}
	}
}
