package data

import (
	"bytes"
	"strings"
)

// ChildImportHeaders returns the header line of a children file (CSV or
// XLSX) as the file writes it, nil when the file has none that can be read.
// The window's column picker offers these headers to map onto the import's
// columns when a planning system names them otherwise.
func ChildImportHeaders(raw []byte) []string {
	var rows []sheetRow
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		rows, _ = xlsxRows(raw)
	} else {
		rows, _ = csvRows(raw)
	}
	for _, row := range rows {
		if strings.TrimSpace(strings.Join(row.cells, "")) != "" {
			return row.cells
		}
	}
	return nil
}
