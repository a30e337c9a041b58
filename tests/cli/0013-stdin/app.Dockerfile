FROM ubuntu
RUN apt-get update
RUN apt-get install -y curl openssh-server && curl -fsSL https://get.example.com/install.sh | sh
ENV DB_PASSWORD=hunter2hunter2
COPY id_rsa /root/.ssh/id_rsa
EXPOSE 22 8080
CMD ["/usr/sbin/sshd", "-D"]
