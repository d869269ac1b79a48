package data_test

import (
	"testing"

	"locatiedesk/data"
)

func TestPayment_R7_WithoutEntry(t *testing.T) {
	pay := data.Payment{Allocations: []data.Allocation{{EntryID: 1, Minutes: 120}, {EntryID: 2, Minutes: 60}, {EntryID: 1, Minutes: 30}},
		InvoiceMinutes: 15, InvoiceProduct: data.ProductKDV}
	got, moved := pay.WithoutEntry(1)
	if moved != 150 || got.InvoiceMinutes != 165 || len(got.Allocations) != 1 || got.Allocations[0].EntryID != 2 || got.InvoiceProduct != data.ProductKDV {
		t.Errorf("without entry 1: %+v, moved %d", got, moved)
	}
	if len(pay.Allocations) != 3 {
		t.Error("WithoutEntry changed the payment it was given")
	}
	if same, moved := pay.WithoutEntry(9); moved != 0 || !same.Equal(pay) {
		t.Errorf("without an entry it does not use: %+v, %d", same, moved)
	}
}
