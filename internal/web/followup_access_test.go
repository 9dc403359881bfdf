package web_test

import (
	"fabrique/internal/fabrique"
	"strings"
)

// What each role gets on the routes of the follow-up of commitments (issue
// 17), on a fresh copy of the template: commitment 4 is carried by the
// Secrétariat d'État (orgSERE) and the SGMAP; the Intérieur (orgOther)
// carries commitment 1; the demo has milestone 1 and indicator 1 on
// commitment 4, and the consultation of June 2016, closed today, whose
// comment 1 (on commitment 4) is published.

// carrierWrite: administrators and the organisers of a carrying organisation.
func carrierWrite(ok int) expect { return adminWrite(ok).with(ok, orgSERE) }

// followUpExpectation returns the request and the expected statuses of the
// routes of followup_api.go and pages_followup*.go; ok is false for the others.
func followUpExpectation(method, path string) (url, body string, e expect, ok bool) {
	switch method + " " + path {
	case "GET /api/v1/action-plans/:id/follow-up":
		return "/api/v1/action-plans/1/follow-up?status=limited", "", publicRead, true
	case "GET /api/v1/commitments/:id/follow-up":
		return "/api/v1/commitments/4/follow-up", "", publicRead, true
	case "POST /api/v1/commitments/:id/status":
		return "/api/v1/commitments/4/status", `{"status":"substantial","justification":"Douze rapports publiés."}`, carrierWrite(201), true
	case "POST /api/v1/commitments/:id/milestones":
		return "/api/v1/commitments/4/milestones", `{"title":"Publier les cahiers des charges","due":"2017-03-31"}`, carrierWrite(201), true
	case "GET /api/v1/milestones/:id":
		return "/api/v1/milestones/1", "", publicRead, true
	case "PUT /api/v1/milestones/:id":
		return "/api/v1/milestones/1", "", carrierWrite(200), true
	case "DELETE /api/v1/milestones/:id":
		return "/api/v1/milestones/1", "", carrierWrite(204), true
	case "POST /api/v1/commitments/:id/indicators":
		return "/api/v1/commitments/4/indicators", `{"name":"Cahiers des charges publiés","unit":"documents"}`, carrierWrite(201), true
	case "GET /api/v1/indicators/:id":
		return "/api/v1/indicators/1", "", publicRead, true
	case "PUT /api/v1/indicators/:id":
		return "/api/v1/indicators/1", "", carrierWrite(200), true
	case "POST /api/v1/indicators/:id/measurements":
		return "/api/v1/indicators/1/measurements", `{"value":16,"measured_on":"2016-09-01","source":"SGMAP"}`, carrierWrite(201), true
	case "GET /api/v1/action-plans/:id/moderation":
		return "/api/v1/action-plans/1/moderation", "", publicRead, true
	case "PUT /api/v1/action-plans/:id/moderation":
		return "/api/v1/action-plans/1/moderation", `{"moderation":"none"}`, adminWrite(200), true
	case "POST /api/v1/action-plans/:id/consultations":
		return "/api/v1/action-plans/1/consultations", `{"title":"Consultation sur le rapport final","opens":"2017-06-01","closes":"2017-06-30","moderation":"before"}`, adminWrite(201), true
	case "POST /api/v1/commitments/:id/comments":
		// the demo's consultation is over: nobody may comment, nothing is written
		return "/api/v1/commitments/4/comments", `{"author":"Claire","email":"claire@exemple.fr","text":"Bravo.","consent":true}`, all(409), true
	case "GET /api/v1/action-plans/:id/pending-comments":
		return "/api/v1/action-plans/1/pending-comments", "", adminWrite(200), true
	case "POST /api/v1/comments/:id/moderation":
		return "/api/v1/comments/1/moderation", `{"decision":"rejected"}`, adminWrite(409), true // already published
	case "POST /api/v1/comments/:id/answers":
		return "/api/v1/comments/1/answers", `{"text":"Les cahiers des charges sont en ligne."}`, carrierWrite(201), true
	case "GET /api/v1/action-plans/:id/progress-report.pdf":
		return "/api/v1/action-plans/1/progress-report.pdf", "", publicRead, true
	case "GET /api/v1/action-plans/:id/open-data/:file":
		return "/api/v1/action-plans/1/open-data/engagements.csv", "", publicRead, true
	case "GET /plans/:id", "GET /plans/:id/rapport":
		return pathFor1(path), "", all(200), true
	case "GET /plans/:id/engagements/:number":
		return "/plans/1/engagements/4", "", all(200), true
	case "POST /plans/:id/engagements/:number/commentaires":
		return "/plans/1/engagements/4/commentaires", "", emptyForm, true
	case "POST /staff/plans/:id/engagements/:number/etat", "POST /staff/plans/:id/engagements/:number/jalons",
		"POST /staff/plans/:id/engagements/:number/indicateurs", "POST /staff/plans/:id/engagements/:number/valeurs",
		"POST /staff/plans/:id/engagements/:number/reponse":
		return pathFor1(path), "", emptyForm, true
	case "POST /staff/plans/:id/engagements/:number/jalons/:item/atteint":
		return "/staff/plans/1/engagements/4/jalons/2/atteint", "", byPolicy(fabrique.ObjFollowUp, fabrique.ActChange, sereOwned, 303, 403), true // commitment 4 is carried by the Secrétariat d'État
	case "POST /staff/plans/:id/engagements/:number/moderation":
		return "/staff/plans/1/engagements/4/moderation", "", all(404).with(403, anonymous), true // no comment given
	case "GET /staff/plans/:id/moderation":
		return "/staff/plans/1/moderation", "", byPolicy(fabrique.ObjConsultation, fabrique.ActChange, shared, 200, 303), true
	case "GET /api/v1/p/:token/subscriptions":
		return "/api/v1/p/p_inconnu/subscriptions", "", all(404), true
	case "POST /api/v1/p/:token/subscriptions":
		return "/api/v1/p/p_inconnu/subscriptions", `{"commitment_id":14,"subscribed":true}`, all(404), true
	case "GET /api/v1/unsubscribe/:token", "POST /api/v1/unsubscribe/:token":
		return "/api/v1/unsubscribe/d_14.1.inconnu", "", all(404), true
	case "GET /api/v1/comment-confirmations/:token", "POST /api/v1/comment-confirmations/:token":
		return "/api/v1/comment-confirmations/c_1.inconnu", "", all(404), true
	case "GET /commentaires/confirmation/:token":
		return "/commentaires/confirmation/c_1.inconnu", "", all(404), true
	case "POST /commentaires/confirmation/:token":
		return "/commentaires/confirmation/c_1.inconnu", "", all(404).with(403, anonymous), true
	case "POST /p/:token/suivi":
		return "/p/p_inconnu/suivi", "", all(404).with(403, anonymous), true
	case "GET /desabonnement/:token":
		return "/desabonnement/d_14.1.inconnu", "", all(404), true
	case "POST /desabonnement/:token":
		return "/desabonnement/d_14.1.inconnu", "", all(404).with(403, anonymous), true
	case "POST /staff/plans/:id/consultations":
		return "/staff/plans/1/consultations", "", byPolicy(fabrique.ObjConsultation, fabrique.ActChange, shared, 422, 403), true
	}
	return "", "", nil, false
}

// pathFor1 puts plan 1 and commitment 4 in a path.
func pathFor1(path string) string {
	return strings.NewReplacer(":id", "1", ":number", "4").Replace(path)
}
