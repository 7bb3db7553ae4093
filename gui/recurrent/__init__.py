"""The recurrent workspace: an RNN trained live on a sequence task, unrolled through time,
its BPTT walkthrough with numbers and the per-step gradient norms (vanishing gradients)."""
