"""Where envs are and whose they are: the project root, settings (each with its
source), location strategies, vem's record of envs and their trust, the --auto
decision, and the Workspace that finds envs as the contract says."""
