package boltstore

import (
	"context"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// ImportRequests stores decided extra-care requests of the past in one
// transaction (all or nothing), with their indexes and, for approved ones,
// the extra that puts the child on that day's list. Their credit is taken
// as settled: the ledger is not touched. The scale generator uses it to give
// invoicing a realistic history without a write per request; a request
// without an ID is numbered.
func (db *DB) ImportRequests(ctx context.Context, requests []data.Request) error {
	return db.update(ctx, data.AuditImportRequests, func(tx *bolt.Tx, changed *[]data.Change) error {
		w := seedWriter{tx: tx}
		for _, r := range requests {
			w.require(bucketChildren, r.ChildID, "request on %s: unknown child %d", r.Date, r.ChildID)
			w.require(bucketGroups, r.GroupID, "request on %s: unknown group %d", r.Date, r.GroupID)
			if w.err != nil {
				return w.err
			}
			minutes := int(r.Times.Until - r.Times.From)
			switch {
			case r.Status != data.StatusApproved && r.Status != data.StatusRejected && r.Status != data.StatusCancelled:
				return data.Refuse(data.RefuseImportUndecided, data.Args{"Child": int(r.ChildID), "Date": r.Date, "Status": string(r.Status)})
			case minutes <= 0 || r.Payment.InvoiceMinutes < 0 || r.Payment.CreditMinutes()+r.Payment.InvoiceMinutes != minutes:
				return data.Refuse(data.RefuseImportPayment, data.Args{"Child": int(r.ChildID), "Date": r.Date, "Hours": data.MinutesText(minutes)})
			case r.Payment.InvoiceProduct != data.InvoiceProduct(r.Product):
				return data.Refuse(data.RefuseImportInvoiceProduct, data.Args{"Child": int(r.ChildID), "Date": r.Date, "Product": string(r.Product), "Invoice": string(data.InvoiceProduct(r.Product))})
			}
			if r.ID == 0 {
				seq, err := tx.Bucket(bucketRequests).NextSequence()
				if err != nil {
					return err
				}
				r.ID = data.ID(seq)
			} else if err := syncSequence(tx.Bucket(bucketRequests), r.ID); err != nil {
				return err
			}
			if err := putRequest(tx, r); err != nil {
				return err
			}
			if r.Status == data.StatusApproved {
				extras, err := nestedCreate(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID))
				if err != nil {
					return err
				}
				x := data.Extra{ChildID: r.ChildID, GroupID: r.GroupID, Date: r.Date, Times: r.Times, Source: data.SourceRequest}
				if err := putJSON(extras, idKey(r.ChildID), x); err != nil {
					return err
				}
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeRequest}, data.Change{Kind: data.ChangePlanning})
		return nil
	})
}

// syncSequence moves b's sequence past id, so NextSequence never hands it out again.
func syncSequence(b *bolt.Bucket, id data.ID) error {
	if uint64(id) > b.Sequence() {
		return b.SetSequence(uint64(id))
	}
	return nil
}
