# Regularization Lab as one container: the Streamlit app on port 8501, CPU-only PyTorch.
#   docker build -t reglab . && docker run -p 8501:8501 reglab
# Settings are environment variables (README, Deploy), e.g. -e REGLAB_MAX_JOBS=2.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The app runs as an unprivileged user; it writes only uploads under the temp folder.
RUN useradd --create-home --uid 1000 reglab
WORKDIR /app

# CPU-only PyTorch first (a plain install would fetch the multi-GB CUDA build), then the
# rest of the pins; torch==2.13.0 in requirements.txt is then already satisfied.
COPY requirements.txt .
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install -r requirements.txt

COPY --chown=reglab:reglab . .
USER reglab

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
