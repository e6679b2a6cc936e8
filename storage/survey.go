package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

type surveyRow struct {
	ID              int64     `db:"id"`
	CustomerID      int64     `db:"customer_id"`
	CustomerCode    string    `db:"customer_code"`
	CustomerName    string    `db:"customer_name"`
	SurveyedOn      time.Time `db:"surveyed_on"`
	SurveyedAt      time.Time `db:"surveyed_at"`
	ProductQuality  int       `db:"product_quality"`
	ServiceAttitude int       `db:"service_attitude"`
	ResponseSpeed   int       `db:"response_speed"`
	AfterSales      int       `db:"after_sales"`
	Comment         string    `db:"comment"`
	CreatedBy       string    `db:"created_by"`
	CreatedAt       time.Time `db:"created_at"`
}

// surveyColumns reads a survey (as s) with its customer (as c).
const surveyColumns = `s.id, s.customer_id, c.code AS customer_code, c.name AS customer_name, s.surveyed_on,
    s.surveyed_at, s.product_quality, s.service_attitude, s.response_speed, s.after_sales, s.comment,
    s.created_by, s.created_at`

func (r surveyRow) survey() followup.Survey {
	return followup.Survey{
		ID: r.ID, CustomerID: r.CustomerID, CustomerCode: r.CustomerCode, CustomerName: r.CustomerName,
		SurveyedOn: r.SurveyedOn, SurveyedAt: r.SurveyedAt,
		Scores: followup.SurveyScores{
			ProductQuality: r.ProductQuality, ServiceAttitude: r.ServiceAttitude,
			ResponseSpeed: r.ResponseSpeed, AfterSales: r.AfterSales,
		},
		Comment: r.Comment, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
	}
}

// insertSurveySQL records a survey of a customer that exists (no row otherwise).
const insertSurveySQL = `
WITH s AS (
    INSERT INTO surveys (customer_id, surveyed_on, surveyed_at, product_quality, service_attitude,
                         response_speed, after_sales, comment, created_by, created_at)
    SELECT id, $2::date, $3, $4, $5, $6, $7, $8, $9, $10 FROM customers WHERE id = $1
    RETURNING *
)
SELECT ` + surveyColumns + ` FROM s JOIN customers c ON c.id = s.customer_id`

// CreateSurvey records a survey and, when it carries one, the call back its low score
// opened for the customer's owner, in one transaction: the owner never has a low score
// without its next step, or a call back about a survey that was not saved. A customer
// deleted meanwhile is a field error on "customer".
func (db *DB) CreateSurvey(ctx context.Context, ns followup.NewSurvey) (followup.Survey, error) {
	var row surveyRow
	var callBack *actionRow
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		sc := ns.Scores
		err := tx.GetContext(ctx, &row, insertSurveySQL, ns.CustomerID, ns.SurveyedOn.Format(time.DateOnly), ns.SurveyedAt,
			sc.ProductQuality, sc.ServiceAttitude, sc.ResponseSpeed, sc.AfterSales, ns.Comment, ns.CreatedBy, now)
		if errors.Is(err, sql.ErrNoRows) {
			return followup.FieldErrors{"customer": "That customer no longer exists."}
		}
		if err != nil {
			return fmt.Errorf("insert survey: %w", err)
		}
		if a := ns.CallBack; a != nil {
			callBack = &actionRow{}
			if err := tx.GetContext(ctx, callBack, insertStandaloneActionSQL, ns.CustomerID, 0, a.OwnerID, a.Text, a.DueAt, now); err != nil {
				return fmt.Errorf("insert call back: %w", err)
			}
		}
		return audit(ctx, tx, now, ns.CreatedBy, "create", "survey", row.ID, "slack")
	})
	if err != nil {
		return followup.Survey{}, err
	}
	s := row.survey()
	if callBack != nil {
		a := callBack.action()
		a.CustomerCode, a.CustomerName = s.CustomerCode, s.CustomerName
		s.CallBack = &a
	}
	return s, nil
}

const findCustomerSurveysSQL = `
SELECT ` + surveyColumns + ` FROM surveys s JOIN customers c ON c.id = s.customer_id
WHERE s.customer_id = $1
ORDER BY s.surveyed_on DESC, s.id DESC
LIMIT $2`

// FindCustomerSurveys returns a customer's latest surveys, newest first.
func (db *DB) FindCustomerSurveys(ctx context.Context, customerID int64, limit int) ([]followup.Survey, error) {
	return selectAll(ctx, db, surveyRow.survey, findCustomerSurveysSQL, customerID, limit)
}
