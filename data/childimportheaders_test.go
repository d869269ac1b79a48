package data_test

import (
	"slices"
	"testing"

	"locatiedesk/data"
)

func TestChildImportHeaders_M1_AsTheFileWritesThem(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"semicolons with BOM after an empty line", "\xef\xbb\xbf;;\nKind nr;Voornaam;Achternaam\n1;Emma;Bakker\n", []string{"Kind nr", "Voornaam", "Achternaam"}},
		{"commas", "child_number,first_name\n1,Emma\n", []string{"child_number", "first_name"}},
		{"empty", "", nil},
		{"damaged workbook", "PK\x03\x04garbage", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := data.ChildImportHeaders([]byte(tc.file)); !slices.Equal(got, tc.want) {
				t.Errorf("headers %q, want %q", got, tc.want)
			}
		})
	}
}
