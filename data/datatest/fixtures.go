package datatest

import (
	"strings"
	"testing"

	"locatiedesk/data"
)

// ChildrenCSV is a planning system's export of two children: Zoë has a
// daycare and a Qflexibel contract, Sem school weeks at a school the store
// does not know yet.
const ChildrenCSV = "\ufeffkindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;einddatum;school;flexuren;ouder_naam;ouder_telefoon;ouder_email;klantnummer\n" +
	"K-1;Zoë;Dvořák;31-01-2024;Het Klavertje;Egeltjes;kdv;ma,di,do;07:30;18:00;2026-03-02;;;;Eva Dvořák;+31 6 12345678;eva@example.nl;C-77\n" +
	"K-1;Zoë;Dvořák;31-01-2024;Het Klavertje;Egeltjes;qflexibel;;;;2026-03-02;;;40;Eva Dvořák;+31 6 12345678;eva@example.nl;C-77\n" +
	"K-2;Sem;de Boer;2018-05-20;het klavertje;uilen;BSO schoolweken;ma,wo;15:00;18:30;02-03-2026;31-07-2026;Het Kompas;;;;;C-78\n"

// ParseChildFile parses text as the children import file name, with the
// column mapping given (nil: the file's own headers).
func ParseChildFile(tb testing.TB, name, text string, mapping map[string]string) data.ChildImport {
	tb.Helper()
	ci, err := data.ParseChildImport(name, strings.NewReader(text), mapping)
	if err != nil {
		tb.Fatal(err)
	}
	return ci
}

// PresentNames are the names of children on a who-is-here list, in order.
func PresentNames(children []data.PresentChild) []string {
	var names []string
	for _, c := range children {
		names = append(names, c.Name())
	}
	return names
}
