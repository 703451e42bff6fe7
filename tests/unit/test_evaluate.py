from scoring.evaluate import per_policy


def test_precision_recall_per_policy_counts_accounts_once():
    escalated = [("a", ["spam_scam"]), ("a", ["spam_scam"]), ("b", ["spam_scam", "harassment"])]
    truth = {"spam_scam": ["a", "c"], "harassment": [], "client_risk": ["z"]}
    out = per_policy(escalated, truth)
    assert out["spam_scam"]["precision"] == 0.5
    assert out["spam_scam"]["recall"] == 0.5
    assert out["spam_scam"]["escalations"] == 3
    assert out["harassment"]["precision"] == 0.0
    assert out["client_risk"] == {
        "precision": 0.0, "recall": 0.0, "escalations": 0, "accounts_flagged": 0,
        "accounts_guilty": 1,
    }
