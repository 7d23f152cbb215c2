# The worker: run it alone, or one of its tasks once (as the Kubernetes CronJobs do).
.PHONY: worker worker-refresh worker-warmup worker-cleanup

worker: $(STAMP)  ## run the worker alone (Arq loop + health server on :8002)
	$(PY) workout-worker

worker-refresh worker-warmup worker-cleanup: worker-%: $(STAMP)  ## run one worker task once
	$(PY) workout-worker run-task $*
